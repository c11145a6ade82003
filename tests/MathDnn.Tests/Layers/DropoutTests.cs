using MathDnn.Layers;

namespace MathDnn.Tests.Layers;

/// <summary>Inverted dropout: masks drawn from the batch's seed in training, the identity when evaluating.</summary>
public class DropoutTests
{
    private static double[] Ramp(int n) => [.. Enumerable.Range(0, n).Select(i => 1.0 + i % 17)];

    [Fact]
    public void In_training_a_fraction_p_is_dropped_and_the_rest_scaled_by_1_over_1_minus_p()
    {
        const int rows = 100, width = 100;
        var layer = new Dropout(0.3);
        var x = Ramp(rows * width);
        var y = new double[x.Length];
        layer.Forward<double>([], x, y, new Batch(rows, width, width, Training: true, Seed: 12345));
        int dropped = y.Count(v => v == 0);
        // Binomial(10⁴, 0.3): standard deviation √(10⁴·0.3·0.7) ≈ 46; 5 of them bound a false failure by ~6e-7.
        Assert.InRange(dropped, 3000 - 5 * 46, 3000 + 5 * 46);
        for (int i = 0; i < x.Length; i++)
            if (y[i] != 0) Assert.Equal(x[i] * (1.0 / 0.7), y[i]);
    }

    [Fact]
    public void The_mask_is_a_function_of_the_seed_and_the_backward_pass_uses_the_same_one()
    {
        var layer = new Dropout(0.5);
        var x = Ramp(64);
        var batch = new Batch(4, 16, 16, Training: true, Seed: 7);
        double[] y1 = new double[64], y2 = new double[64], y3 = new double[64];
        layer.Forward<double>([], x, y1, batch);
        layer.Forward<double>([], x, y2, batch);
        layer.Forward<double>([], x, y3, batch with { Seed = 8 });
        Assert.Equal(y1, y2);
        Assert.NotEqual(y1, y3);
        var dy = Enumerable.Repeat(1.0, 64).ToArray();
        var dx = new double[64];
        layer.Backward<double>([], x, y1, dy, dx, [], batch);
        var diagonal = new double[64];
        Assert.True(layer.DiagonalJacobian<double>([], x, y1, diagonal, batch));
        for (int i = 0; i < 64; i++)
        {
            Assert.Equal(y1[i] == 0 ? 0.0 : 2.0, dx[i]);       // δ ⊙ m/(1 − p)
            Assert.Equal(dx[i], diagonal[i]);                   // J = diag(m/(1 − p))
            Assert.Equal(diagonal[i] * x[i], y1[i]);            // y = J·x
        }
    }

    [Fact]
    public void Evaluation_is_the_identity_and_rate_0_keeps_every_entry_exactly()
    {
        var x = Ramp(30);
        var y = new double[30];
        new Dropout(0.9).Forward<double>([], x, y, new Batch(3, 10, 10));
        Assert.Equal(x, y);
        new Dropout(0.0).Forward<double>([], x, y, new Batch(3, 10, 10, Training: true, Seed: 99));
        Assert.Equal(x, y);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void A_rate_outside_0_1_is_refused(double rate) =>
        Assert.Contains("[0, 1)", Assert.Throws<ArgumentException>(() => new Dropout(rate)).Message);
}
