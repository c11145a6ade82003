using MathDnn.Data;

namespace MathDnn.Tests.Data;

/// <summary>The seeded synthetic sets: the same seed gives the same set, bit for bit; their documented sizes and labels.</summary>
public sealed class SyntheticTests
{
    [Theory]
    [InlineData("spirals")]
    [InlineData("moons")]
    [InlineData("xor")]
    [InlineData("sawtooth")]
    public void Synthetic_sets_are_seeded(string name)
    {
        var (a, la, _) = Synthetic.Generate(name, 5);
        var (b, lb, _) = Synthetic.Generate(name, 5);
        var (c, _, _) = Synthetic.Generate(name, 6);
        Assert.Equal(a.ToRowMajorArray(), b.ToRowMajorArray()); // bit for bit
        Assert.Equal(la, lb);
        Assert.NotEqual(a.ToRowMajorArray(), c.ToRowMajorArray());
    }

    [Fact]
    public void Every_name_is_generated_and_described_and_others_are_refused()
    {
        Assert.Equal(["spirals", "moons", "xor", "sawtooth"], Synthetic.Names);
        foreach (var name in Synthetic.Names)
        {
            Assert.True(Synthetic.IsName(name));
            var (x, labels, k) = Synthetic.Generate(name, 1);
            Assert.Equal(x.RowCount, labels.Length);
            Assert.Equal(Enumerable.Range(0, k), labels.Distinct().Order());
            Assert.Contains($"{x.RowCount} × {x.ColumnCount}, {k} classes", Synthetic.Describe(name));
        }
        Assert.False(Synthetic.IsName("digits"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Synthetic.Generate("digits", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Synthetic.Describe("circles"));
    }

    [Fact]
    public void Xor_labels_are_the_xor_of_the_signs_and_sawtooth_labels_follow_the_tent_map()
    {
        var (x, labels, k) = Synthetic.Xor(1);
        Assert.Equal(2, k);
        for (int i = 0; i < labels.Length; i++) Assert.Equal(x[i, 0] * x[i, 1] < 0 ? 1 : 0, labels[i]);

        // m(x) = 2·min(x, 1 − x): m(0.1) = 0.2, m²(0.1) = 0.4, m³(0.1) = 0.8 ≥ ½ → class 1;
        // m(0.3) = 0.6, m²(0.3) = 0.8, m³(0.3) = 0.4 < ½ → class 0; 0.1 ∈ [1/16, 3/16] and 0.3 ∈ ]3/16, 5/16[.
        Assert.Equal(0.8, Synthetic.Tent(0.1, 3), 15);
        Assert.Equal(0.4, Synthetic.Tent(0.3, 3), 15);
        var (s, sl, _) = Synthetic.Sawtooth(2);
        for (int i = 0; i < sl.Length; i++)
        {
            double v = s[i, 0], eighths = (v - 1.0 / 16) * 8; // class 1 on [1/16 + j/4, 3/16 + j/4]: eighths in [2j, 2j + 1]
            bool inside = v >= 1.0 / 16 && v <= 15.0 / 16 && Math.Floor(eighths) % 2 == 0;
            if (Math.Abs(eighths - Math.Round(eighths)) > 1e-9) Assert.Equal(inside ? 1 : 0, sl[i]);
        }
    }

    [Fact]
    public void Spirals_and_moons_have_the_documented_sizes_and_geometry()
    {
        var (x, labels, k) = Synthetic.Spirals(3);
        Assert.Equal((900, 2, 3), (x.RowCount, x.ColumnCount, k));
        Assert.Equal([300, 300, 300], labels.GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()));
        for (int i = 0; i < x.RowCount; i++)
            Assert.True(Math.Sqrt(x[i, 0] * x[i, 0] + x[i, 1] * x[i, 1]) <= 1 + 1e-15); // radius r = i/(n − 1) ≤ 1
        var (m, ml, mk) = Synthetic.Moons(3);
        Assert.Equal((1000, 2), (m.RowCount, mk));
        Assert.Equal(500, ml.Count(l => l == 0));
    }


    [Fact]
    public void The_synthetic_MNIST_set_has_MNIST_shape_pixels_in_0_1_and_repeats_with_its_seed()
    {
        var (train, test) = SyntheticMnist.Generate(seed: 3, train: 300, test: 50);
        Assert.Equal((300, 784, 50, 784), (train.X.RowCount, train.X.ColumnCount, test.X.RowCount, test.X.ColumnCount));
        Assert.All(train.X.Enumerate(), v => Assert.InRange(v, 0.0, 1.0));
        Assert.All(train.Labels.Concat(test.Labels), l => Assert.InRange(l, 0, 9));
        Assert.Equal(10, train.Labels.Distinct().Count()); // 300 uniform draws miss a class with probability ≤ 10·0.9³⁰⁰ ≈ 2e-13
        // Ink: a prototype pixel is on with probability 0.2 and kept with 0.8 at U(0.5, 1) (mean 0.75); 5 % of pixels are
        // U(0, 1) noise (mean 0.5): E[x] = 0.95·0.2·0.8·0.75 + 0.05·0.5 = 0.139; the mean over 235,200 pixels is within ±0.01.
        Assert.InRange(train.X.Enumerate().Average(), 0.129, 0.149);
        var again = SyntheticMnist.Generate(seed: 3, train: 300, test: 50);
        Assert.Equal(train.X, again.Train.X);
        Assert.Equal(test.Labels, again.Test.Labels);
        Assert.NotEqual(train.X, SyntheticMnist.Generate(seed: 4, train: 300, test: 50).Train.X);
        Assert.Throws<ArgumentException>(() => SyntheticMnist.Generate(seed: 3, train: 0, test: 1));
    }
}
