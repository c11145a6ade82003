using MathDnn.Metrics;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Metrics;

/// <summary>The precision–recall curve of 002 Section 8.1 and its average precision, by hand.</summary>
public class PrecisionRecallCurveTests
{
    // Ratios of small integers and a four-term sum of products of them: ≤ ~10 roundings of values ≤ 1, ≤ 10·ε/2 ≈ 1.1e-15.
    private const double Rounding = 2e-15;

    [Fact]
    public void Curve_points_and_average_precision_by_hand_002_Section_8_1()
    {
        // Input in no particular order (score, label):
        //   (0.4,0) (0.9,1) (0.2,0) (0.8,0) (0.6,1) (0.8,1) (0.4,1)       P = 4 positives
        // Sorted by decreasing score, tie groups together:
        //   t = 0.9: {1}            TP 1 FP 0   p = 1     r = 1/4
        //   t = 0.8: {0, 1}         TP 2 FP 1   p = 2/3   r = 2/4
        //   t = 0.6: {1}            TP 3 FP 1   p = 3/4   r = 3/4
        //   t = 0.4: {0, 1}         TP 4 FP 2   p = 4/6   r = 1
        //   t = 0.2: {0}            TP 4 FP 3   p = 4/7   r = 1
        // AP = Σ (Rₖ − Rₖ₋₁)·Pₖ = (1/4)(1 + 2/3 + 3/4 + 2/3) + 0·(4/7) = (1/4)(37/12) = 37/48.
        int[] labels = [0, 1, 0, 0, 1, 1, 1];
        var scores = Vector<double>.Build.DenseOfArray([0.4, 0.9, 0.2, 0.8, 0.6, 0.8, 0.4]);
        var curve = PrecisionRecallCurve.Of(labels, scores);
        double[] t = [0.9, 0.8, 0.6, 0.4, 0.2];
        double[] p = [1, 2.0 / 3, 3.0 / 4, 4.0 / 6, 4.0 / 7];
        double[] r = [1.0 / 4, 2.0 / 4, 3.0 / 4, 1, 1];
        int[] tp = [1, 2, 3, 4, 4], fp = [0, 1, 1, 2, 3];
        Assert.Equal(5, curve.Points.Length);
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal(t[k], curve.Points[k].Threshold);
            Assert.Equal(p[k], curve.Points[k].Precision, Rounding);
            Assert.Equal(r[k], curve.Points[k].Recall, Rounding);
            Assert.Equal(tp[k], curve.Points[k].TruePositives);
            Assert.Equal(fp[k], curve.Points[k].FalsePositives);
        }
        Assert.Equal(4, curve.Positives);
        Assert.Equal(7, curve.Samples);
        Assert.Equal(37.0 / 48, curve.AveragePrecision, Rounding);
    }

    [Fact]
    public void A_tie_is_one_point()
    {
        // All three scores equal: one threshold, everything predicted positive: p = 2/3, r = 2/2; AP = (1 − 0)·2/3.
        var curve = PrecisionRecallCurve.Of([1, 0, 1], Vector<double>.Build.Dense(3, 0.5));
        var pt = Assert.Single(curve.Points);
        Assert.Equal(new PrecisionRecallPoint(0.5, 2.0 / 3, 1.0, 2, 1), pt);
        Assert.Equal(2.0 / 3, curve.AveragePrecision, Rounding);
    }

    [Fact]
    public void Perfect_ranking_has_average_precision_one()
    {
        // Positives 0.9, 0.7 above negatives 0.3, 0.1: points (p, r) = (1, 1/2), (1, 1), (2/3, 1), (1/2, 1); AP = (1/2)·1 + (1/2)·1 = 1.
        var curve = PrecisionRecallCurve.Of([1, 0, 1, 0], Vector<double>.Build.DenseOfArray([0.9, 0.1, 0.7, 0.3]));
        Assert.Equal(1.0, curve.AveragePrecision);
    }

    [Fact]
    public void Bad_input_is_named()
    {
        var v = Vector<double>.Build.DenseOfArray([0.1, 0.2]);
        Assert.Contains("none of the 2 labels is positive", Assert.Throws<ArgumentException>(() => PrecisionRecallCurve.Of([0, 0], v)).Message);
        Assert.Contains("labels[1] = 2", Assert.Throws<ArgumentException>(() => PrecisionRecallCurve.Of([1, 2], v)).Message);
        var mismatch = Assert.Throws<ArgumentException>(() => PrecisionRecallCurve.Of([1, 0, 1], v));
        Assert.Contains("3 labels but 2 scores", mismatch.Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => PrecisionRecallCurve.Of([], Vector<double>.Build.Dense(0))).Message);
        var nan = Vector<double>.Build.DenseOfArray([0.1, double.NaN]);
        Assert.Contains("index 1", Assert.Throws<ArgumentException>(() => PrecisionRecallCurve.Of([1, 0], nan)).Message);
    }

    [Fact]
    public void The_scores_are_not_mutated()
    {
        var scores = Vector<double>.Build.DenseOfArray([0.3, 0.9, 0.1]);
        var before = scores.Clone();
        int[] labels = [1, 0, 1];
        _ = PrecisionRecallCurve.Of(labels, scores);
        Assert.Equal(before, scores);
        Assert.Equal([1, 0, 1], labels);
    }
}
