using System.Text.Json.Nodes;
using MathDnn.Cli.Data;
using MathDnn.Cli.Models;
using MathDnn.IO;

namespace MathDnn.Tests.Cli;

/// <summary>
/// Issue 13, item 11: a model records the fingerprint of its training data (<see cref="DataFingerprint"/>, over the
/// values), and <c>train --resume</c> refuses data that differs from it unless <c>--force</c>; older files resume with
/// a warning.
/// </summary>
public sealed class ResumeFingerprintTests : IDisposable
{
    private readonly CliHarness h = new();

    public void Dispose() => h.Dispose();

    private static CliResult Run(params string[] args) => CliHarness.Run(args);

    private const string Xor = "0,0,0\n0,1,1\n1,0,1\n1,1,0\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n0,0,0\n0,1,1\n";

    private static string Recorded(string model) => (string)JsonNode.Parse(File.ReadAllText(model))!["training"]!["data_sha256"]!;

    private static string Of(string data) => DataFingerprint.Of(DataSource.Load(data, 42, DataSource.DefaultMnistFolder));

    [Fact]
    public void A_model_records_the_fingerprint_of_its_data()
    {
        var csv = h.Write("d.csv", Xor);
        var model = h.P("m.json");
        Run("train", "--data", csv, "--layers", "3", "--epochs", "1", "--out", model).AssertOk();
        Assert.Matches("^sha256:[0-9a-f]{64}$", Recorded(model));
        Assert.Equal(Of(csv), Recorded(model));
        Run("train", "--data", "xor", "--layers", "3", "--epochs", "1", "--out", model).AssertOk();
        Assert.Equal(Of("xor"), Recorded(model));
        Assert.NotEqual(Of(csv), Of("xor"));
        Assert.Equal(Of("xor"), DataFingerprint.Of(DataSource.Load("xor", 42, DataSource.DefaultMnistFolder))); // same seed, same data
        Assert.NotEqual(Of("xor"), DataFingerprint.Of(DataSource.Load("xor", 43, DataSource.DefaultMnistFolder)));
    }

    [Fact]
    public void Resuming_on_changed_data_is_refused_naming_both_fingerprints_and_leaves_the_model()
    {
        var csv = h.Write("d.csv", Xor);
        var model = h.P("m.json");
        Run("train", "--data", csv, "--layers", "3", "--epochs", "1", "--out", model).AssertOk();
        string recorded = Recorded(model);
        File.WriteAllText(csv, Xor.Replace("1,1,0\n0,0,0\n0,1,1\n1,0,1", "1,1,0\n0,0,0\n0,0.75,1\n1,0,1")); // one value, same shape and classes
        string changed = Of(csv);
        var bytes = File.ReadAllBytes(model);
        Run("train", "--resume", model, "--epochs", "1").AssertBadInput(
            $"--resume {model}: the data {csv} differs from the data the run was trained on (its fingerprint is {changed}, the model records {recorded}); give --force to continue on the changed data.");
        Assert.Equal(bytes, File.ReadAllBytes(model));

        var r = Run("train", "--resume", model, "--epochs", "1", "--force");
        Assert.True(r.Code == 0, r.Err);
        Assert.StartsWith($"mathdnn: warning: --resume {model}: the data {csv} differs", r.Err);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(changed, Recorded(model)); // the run now continues on the new data
        Run("train", "--resume", model, "--epochs", "1").AssertOk();
    }

    [Fact]
    public void The_same_values_written_differently_keep_the_fingerprint()
    {
        // The fingerprint is over the values the run learns from, not the file's bytes.
        var csv = h.Write("d.csv", Xor);
        var model = h.P("m.json");
        Run("train", "--data", csv, "--layers", "3", "--epochs", "1", "--out", model).AssertOk();
        var rewritten = Xor.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(',')).Select(c => $"{c[0]}.0,{c[1]}e0,{c[2]}");
        File.WriteAllText(csv, "x1,x2,label\r\n" + string.Join("\r\n", rewritten) + "\r\n"); // a header, CRLF, 1.0 for 1, 0e0 for 0
        Run("train", "--resume", model, "--epochs", "1").AssertOk();
    }

    [Fact]
    public void Force_applies_to_resume_only_and_a_malformed_fingerprint_is_named()
    {
        Run("train", "--force").AssertBadInput("--force: applies to --resume only");
        var model = h.P("m.json");
        Run("train", "--data", "xor", "--layers", "3", "--epochs", "1", "--out", model).AssertOk();
        var doc = JsonNode.Parse(File.ReadAllText(model))!;
        doc["training"]!["data_sha256"] = "md5:1234";
        File.WriteAllText(model, doc.ToJsonString());
        Run("train", "--resume", model, "--epochs", "1").AssertBadInput($"{model}: training.data_sha256: expected \"sha256:\" and 64 lower-case hex digits, found \"md5:1234\"");
    }

    [Fact]
    public void A_model_without_a_fingerprint_resumes_with_a_warning_and_then_records_one()
    {
        var model = h.P("m.json");
        Run("train", "--data", "xor", "--layers", "3", "--epochs", "1", "--out", model).AssertOk();
        var doc = JsonNode.Parse(File.ReadAllText(model))!;
        doc["training"]!.AsObject().Remove("data_sha256"); // as files of older versions are
        File.WriteAllText(model, doc.ToJsonString());
        Assert.Null(TrainingRecord.FromJson(ModelFile.Load(model).Training, model).DataFingerprint);
        var r = Run("train", "--resume", model, "--epochs", "1");
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal($"mathdnn: warning: {model} records no fingerprint of its training data (written by an older version); " +
            $"that xor is unchanged cannot be checked. The saved model will record {Of("xor")}.", r.Err.TrimEnd());
        Assert.Equal(Of("xor"), Recorded(model));
    }
}
