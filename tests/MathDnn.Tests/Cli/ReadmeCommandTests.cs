using System.Globalization;
using System.Text.RegularExpressions;

namespace MathDnn.Tests.Cli;

public class ReadmeCommandTests
{
    [Fact]
    public void The_README_main_job_train_reaches_97_percent_test_accuracy_on_the_embedded_digits()
    {
        // README: `dotnet run --project src/MathDnn -c Release -- train`, i.e. exactly the arguments ["train"]:
        // 𝒩_c+ 64 → 64 → 32 → 10 (003 Def 5.1), Keras SGD (lr 0.05, momentum 0.9, decay 1e-4), batch 32, 30 epochs, seed 42.
        var r = CliHarness.Run("train").AssertOk();
        var m = Regex.Match(r.Out, @"^test accuracy (\d+\.\d+) % \((\d+)/(\d+)\)", RegexOptions.Multiline);
        Assert.True(m.Success, r.Out);
        double percent = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        int correct = int.Parse(m.Groups[2].Value), total = int.Parse(m.Groups[3].Value);
        Assert.True(percent >= 97.0, $"test accuracy {percent} %\n{r.Out}");
        // 1797 digits, 20 % of each class held out (rounded per class): the test set has 359 or 360 samples.
        Assert.InRange(total, 355, 365);
        Assert.True(correct >= 0.97 * total);
        // One plain progress line per epoch (the test's writer is not a terminal).
        Assert.Equal(30, Regex.Matches(r.Out, @"^epoch +\d+/30  loss ", RegexOptions.Multiline).Count);
        Assert.Contains("dense(64→64) → relu → dense(64→32) → relu → dense(32→10) → softmax", r.Out);
    }
}
