using MathDnn.Metrics;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Metrics;

/// <summary>Accuracy, confusion matrix, precision / recall / F-score (002 Section 8.1) on data small enough to count by hand.</summary>
public class ClassificationMetricsTests
{
    // Every expected value below is a ratio of small integers; the code computes it with at most ~5 correctly rounded
    // operations on numbers ≤ 1, each off by ≤ ε/2 relative, so the error is ≤ 5·ε/2 ≈ 5.6e-16; 1e-15 bounds it.
    private const double Rounding = 1e-15;

    // The three-class example used throughout:
    //   index        0 1 2 3 | 4 5 6 | 7 8 9
    //   labels       0 0 0 0 | 1 1 1 | 2 2 2
    //   predictions  0 0 0 1 | 1 1 2 | 2 2 1
    private static readonly int[] Y = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
    private static readonly int[] P = [0, 0, 0, 1, 1, 1, 2, 2, 2, 1];

    [Fact]
    public void Confusion_matrix_of_three_classes_by_hand_002_Section_8_1()
    {
        // Row t counts the predictions of the samples whose true class is t:
        //   true 0 (indices 0–3) predicted 0,0,0,1 → [3, 1, 0]
        //   true 1 (indices 4–6) predicted 1,1,2   → [0, 2, 1]
        //   true 2 (indices 7–9) predicted 2,2,1   → [0, 1, 2]
        var cm = ConfusionMatrix.Of(Y, P, 3);
        Assert.Equal(new int[,] { { 3, 1, 0 }, { 0, 2, 1 }, { 0, 1, 2 } }, cm.ToArray());
        Assert.Equal(3, cm.Classes);
        Assert.Equal(10, cm.Total);
        Assert.Equal(7, cm.Correct);                 // diagonal 3 + 2 + 2
        Assert.Equal([4, 3, 3], Enumerable.Range(0, 3).Select(cm.Support));          // row sums
        Assert.Equal([3, 4, 3], Enumerable.Range(0, 3).Select(cm.PredictedCount));   // column sums 3+0+0, 1+2+1, 0+1+2
        Assert.Equal([0, 2, 1], Enumerable.Range(0, 3).Select(cm.FalsePositives));   // column sum − diagonal
        Assert.Equal([1, 1, 1], Enumerable.Range(0, 3).Select(cm.FalseNegatives));   // row sum − diagonal
        Assert.Equal(1, cm[0, 1]);
        Assert.Equal(Matrix<double>.Build.DenseOfArray(new double[,] { { 3, 1, 0 }, { 0, 2, 1 }, { 0, 1, 2 } }), cm.ToMatrix());
    }

    [Fact]
    public void Accuracy_is_correct_over_n_002_Section_8_1()
    {
        // 7 of the 10 predictions equal the label (indices 3, 6 and 9 are wrong): 7/10, error rate 3/10.
        Assert.Equal(7.0 / 10, Accuracy.Of(Y, P));
        Assert.Equal(7.0 / 10, Accuracy.Of(Y, P, classes: 3));
        Assert.Equal(3.0 / 10, Accuracy.ErrorRate(Y, P));
    }

    [Fact]
    public void Per_class_precision_recall_and_F_by_hand_002_Section_8_1()
    {
        // p_c = TP/(column sum), r_c = TP/(row sum), F = 2pr/(p + r):
        //   class 0: p = 3/3 = 1,   r = 3/4;  F = 2·1·(3/4)/(7/4)       = 6/7
        //   class 1: p = 2/4 = 1/2, r = 2/3;  F = 2·(1/2)(2/3)/(7/6)    = (2/3)/(7/6) = 4/7
        //   class 2: p = 2/3,       r = 2/3;  F = 2/3 (p = r)
        var per = PrecisionRecall.PerClass(Y, P, 3);
        double[] p = [1, 1.0 / 2, 2.0 / 3], r = [3.0 / 4, 2.0 / 3, 2.0 / 3], f = [6.0 / 7, 4.0 / 7, 2.0 / 3];
        int[] support = [4, 3, 3];
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(p[c], per[c].Precision, Rounding);
            Assert.Equal(r[c], per[c].Recall, Rounding);
            Assert.Equal(f[c], per[c].FScore, Rounding);
            Assert.Equal(support[c], per[c].Support);
        }
    }

    [Fact]
    public void Macro_and_micro_averages_by_hand_002_Section_8_1()
    {
        // Macro: p = (1 + 1/2 + 2/3)/3 = (13/6)/3 = 13/18; r = (3/4 + 2/3 + 2/3)/3 = (25/12)/3 = 25/36;
        //        F = mean of the per-class F = (6/7 + 4/7 + 2/3)/3 = (30/21 + 14/21)/3 = 44/63 (not 2pr/(p+r) of the macro p, r).
        var macro = PrecisionRecall.Macro(Y, P, 3);
        Assert.Equal(13.0 / 18, macro.Precision, Rounding);
        Assert.Equal(25.0 / 36, macro.Recall, Rounding);
        Assert.Equal(44.0 / 63, macro.FScore, Rounding);
        Assert.Equal(10, macro.Support);
        // Micro: ΣTP = 7, Σ(TP+FP) = Σ column sums = 10, Σ(TP+FN) = Σ row sums = 10: p = r = F = 7/10 = accuracy.
        var micro = PrecisionRecall.Micro(Y, P, 3);
        Assert.Equal(7.0 / 10, micro.Precision);
        Assert.Equal(7.0 / 10, micro.Recall);
        Assert.Equal(7.0 / 10, micro.FScore, Rounding);
    }

    [Fact]
    public void Zero_division_gives_zero_never_NaN()
    {
        // labels [0, 1, 1], predictions [0, 1, 0], K = 3: class 2 is neither present nor predicted.
        //   class 0: p = 1/2 (column 0 has TP 1 and FP 1), r = 1/1 = 1
        //   class 1: p = 1/1 = 1,  r = 1/2
        //   class 2: p = 0/0 → 0, r = 0/0 → 0, F = 0 (p + r = 0)
        var per = PrecisionRecall.PerClass([0, 1, 1], [0, 1, 0], 3);
        Assert.Equal(new ClassScores(0, 0, 0, 0), per[2]);
        Assert.Equal(0.5, per[0].Precision);
        Assert.Equal(1.0, per[0].Recall);
        // Macro over all K = 3 classes: p = (1/2 + 1 + 0)/3 = 1/2, r = (1 + 1/2 + 0)/3 = 1/2.
        var macro = PrecisionRecall.Macro([0, 1, 1], [0, 1, 0], 3);
        Assert.Equal(0.5, macro.Precision, Rounding);
        Assert.Equal(0.5, macro.Recall, Rounding);
        // A present class that is never predicted: labels [0, 1], predictions [0, 0]: p_1 = 0/0 → 0, r_1 = 0/1 = 0.
        var missed = PrecisionRecall.PerClass([0, 1], [0, 0], 2);
        Assert.Equal(new ClassScores(0, 0, 0, 1), missed[1]);
        // class 0: p = 1/2, r = 1, F = 2·(1/2)·1/(3/2) = 2/3.
        Assert.Equal(2.0 / 3, missed[0].FScore, Rounding);
        Assert.Equal(0.0, PrecisionRecall.FScore(0, 0));
    }

    [Fact]
    public void F_score_is_the_harmonic_mean_002_Section_8_1()
    {
        // 2·(1/2)·(1/4)/(3/4) = (1/4)/(3/4) = 1/3.
        Assert.Equal(1.0 / 3, PrecisionRecall.FScore(0.5, 0.25), Rounding);
        Assert.Equal(0.8, PrecisionRecall.FScore(0.8, 0.8), Rounding);
        var ex = Assert.Throws<ArgumentException>(() => PrecisionRecall.FScore(1.5, 0.5));
        Assert.Contains("1.5", ex.Message);
        Assert.Throws<ArgumentException>(() => PrecisionRecall.FScore(0.5, double.NaN));
    }

    [Fact]
    public void Length_mismatch_names_both_lengths()
    {
        var ex = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Of([0, 1, 2], [0, 1], 3));
        Assert.Contains("3 labels", ex.Message);
        Assert.Contains("2 predictions", ex.Message);
        var acc = Assert.Throws<ArgumentException>(() => Accuracy.Of([0, 1], [0]));
        Assert.Contains("2 labels", acc.Message);
        Assert.Contains("1 predictions", acc.Message);
    }

    [Fact]
    public void Labels_outside_the_classes_are_named_with_their_index()
    {
        var ex = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Of([0, 1, 2], [0, 3, 1], 3));
        Assert.Contains("predictions[1] = 3", ex.Message);
        Assert.Contains("[0, 3)", ex.Message);
        var neg = Assert.Throws<ArgumentException>(() => PrecisionRecall.Macro([0, -1], [0, 0], 2));
        Assert.Contains("labels[1] = -1", neg.Message);
        Assert.Throws<ArgumentException>(() => Accuracy.Of([0, 5], [0, 0], classes: 2));
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.Of([0], [0], 0));
    }

    [Fact]
    public void Empty_input_is_rejected()
    {
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => Accuracy.Of([], [])).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => ConfusionMatrix.Of([], [], 2)).Message);
    }

    [Fact]
    public void Metrics_do_not_mutate_their_arguments_and_the_confusion_matrix_is_immutable()
    {
        int[] y = (int[])Y.Clone(), p = (int[])P.Clone();
        var cm = ConfusionMatrix.Of(y, p, 3);
        _ = Accuracy.Of(y, p);
        _ = PrecisionRecall.Macro(y, p, 3);
        _ = ClassificationReport.Of(y, p, 3);
        Assert.Equal(Y, y);
        Assert.Equal(P, p);
        var copy = cm.ToArray();
        copy[0, 0] = 99;                              // changing the copy…
        Assert.Equal(3, cm[0, 0]);                    // …leaves the matrix unchanged
        var counts = new int[,] { { 1, 2 }, { 3, 4 } };
        var built = new ConfusionMatrix(counts);
        counts[0, 0] = 50;
        Assert.Equal(1, built[0, 0]);
        Assert.Equal(ConfusionMatrix.Of(Y, P, 3), cm);  // value equality
        Assert.NotEqual(ConfusionMatrix.Of(Y, Y, 3), cm);
    }

    [Fact]
    public void Argmax_and_one_hot_labels()
    {
        var scores = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.1, 0.7, 0.2 }, { 0.5, 0.5, 0.0 } });
        Assert.Equal([1, 0], Labels.ArgMax(scores));  // row 1 ties between columns 0 and 1: the first wins
        var onehot = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0, 1 }, { 1, 0, 0 } });
        Assert.Equal([2, 0], Labels.FromOneHot(onehot));
        var bad = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0.5, 1 } });
        Assert.Contains("row 0, column 1", Assert.Throws<ArgumentException>(() => Labels.FromOneHot(bad)).Message);
    }
}
