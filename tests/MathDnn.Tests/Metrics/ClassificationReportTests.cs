using MathDnn.Metrics;

namespace MathDnn.Tests.Metrics;

/// <summary>The classification report bundles the 002 Section 8.1 metrics of one confusion matrix.</summary>
public class ClassificationReportTests
{
    private const double Rounding = 1e-15; // as in ClassificationMetricsTests: ≤ 5 roundings of values ≤ 1

    [Fact]
    public void Report_bundles_the_hand_computed_metrics_002_Section_8_1()
    {
        // Same data as ClassificationMetricsTests: confusion [[3,1,0],[0,2,1],[0,1,2]], accuracy 7/10,
        // per class (p, r, F, support) = (1, 3/4, 6/7, 4), (1/2, 2/3, 4/7, 3), (2/3, 2/3, 2/3, 3),
        // macro (13/18, 25/36, 44/63), micro (7/10, 7/10, 7/10).
        var report = ClassificationReport.Of([0, 0, 0, 0, 1, 1, 1, 2, 2, 2], [0, 0, 0, 1, 1, 1, 2, 2, 2, 1], 3);
        Assert.Equal(3, report.Classes);
        Assert.Equal(7.0 / 10, report.Accuracy);
        Assert.Equal(new int[,] { { 3, 1, 0 }, { 0, 2, 1 }, { 0, 1, 2 } }, report.Confusion.ToArray());
        Assert.Equal(6.0 / 7, report.PerClass[0].FScore, Rounding);
        Assert.Equal(1.0 / 2, report.PerClass[1].Precision, Rounding);
        Assert.Equal(3, report.PerClass[2].Support);
        Assert.Equal(13.0 / 18, report.Macro.Precision, Rounding);
        Assert.Equal(25.0 / 36, report.Macro.Recall, Rounding);
        Assert.Equal(44.0 / 63, report.Macro.FScore, Rounding);
        Assert.Equal(report.Accuracy, report.Micro.Precision);
        Assert.Equal(report.Accuracy, report.Micro.Recall);

        var text = report.ToString();
        Assert.Contains("macro avg", text);
        Assert.Contains("0.7222", text);   // 13/18 = 0.72222…
        Assert.Contains("0.8571", text);   // 6/7 = 0.857142…
        Assert.Contains("confusion matrix", text);
    }

    [Fact]
    public void An_empty_confusion_matrix_has_no_report()
    {
        var ex = Assert.Throws<ArgumentException>(() => ClassificationReport.Of(new ConfusionMatrix(new int[2, 2])));
        Assert.Contains("no sample", ex.Message);
    }
}
