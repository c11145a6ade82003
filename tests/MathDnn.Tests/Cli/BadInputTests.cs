namespace MathDnn.Tests.Cli;

/// <summary>Every bad input is exit code 2 with one line on stderr naming the file, line or field, and nothing is overwritten.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly CliHarness h = new();

    public void Dispose() => h.Dispose();

    [Theory]
    [InlineData(new string[0], "no command given")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "train", "--epochs", "x" }, "Cannot parse argument 'x' for option '--epochs' as an integer")]
    [InlineData(new[] { "train", "--epochs", "-1" }, "--epochs -1: must be ≥ 0")]
    [InlineData(new[] { "train", "--lr", "0" }, "--lr 0: the learning rate must be a positive finite number")]
    [InlineData(new[] { "train", "--lr", "abc" }, "'--lr' as a number")]
    [InlineData(new[] { "train", "--momentum", "1" }, "--momentum 1: must lie in [0, 1[")]
    [InlineData(new[] { "train", "--decay", "-0.1" }, "--decay -0.1")]
    [InlineData(new[] { "train", "--batch", "-1" }, "--batch -1")]
    [InlineData(new[] { "train", "--layers", "64,abc" }, "--layers 64,abc: \"abc\" is not an integer")]
    [InlineData(new[] { "train", "--layers", "64,0" }, "--layers 64,0: \"0\" is not an integer in 1..1000000")]
    [InlineData(new[] { "train", "--activation", "swish" }, "swish")]
    [InlineData(new[] { "train", "--optimizer", "lbfgs" }, "lbfgs")]
    [InlineData(new[] { "train", "--loss", "nope" }, "nope")]
    [InlineData(new[] { "train", "--val-split", "1" }, "--val-split 1: must lie in [0, 1[")]
    [InlineData(new[] { "train", "--test-split", "0" }, "--test-split 0: must lie in ]0, 1[")]
    [InlineData(new[] { "train", "--target", "2" }, "--target: applies to CSV files only")]
    [InlineData(new[] { "train", "--data", "moons", "--loss", "hinge", "--target", "1" }, "--target: applies to CSV files only")]
    [InlineData(new[] { "train", "--unknown-option" }, "--unknown-option")]
    [InlineData(new[] { "evaluate" }, "--model")]
    [InlineData(new[] { "verify", "--seed", "1.5" }, "--seed")]
    public void Options_are_checked_and_named(string[] args, string expected) =>
        CliHarness.Run(args).AssertBadInput(expected);

    [Fact]
    public void A_missing_data_file_is_named()
    {
        var path = h.P("missing.csv");
        CliHarness.Run("train", "--data", path).AssertBadInput($"{path}: no such file");
    }

    [Theory]
    [InlineData("1,2,0\n3,4\n", ":2: expected 3 columns like the first data line, found 2")]
    [InlineData("1,2,0\n3,four,1\n", ":2: column 2 is \"four\", expected a number")]
    [InlineData("1,2,0\nNaN,4,1\n", ":2: column 1 is NaN; values must be finite")]
    [InlineData("1,2,0\n3,4,1.5\n", ":2: column 3 (the label) must be a non-negative integer, found 1.5")]
    [InlineData("1,2,0\n3,4,-1\n", ":2: column 3 (the label) must be a non-negative integer, found -1")]
    [InlineData("a,b,c\n", ": no data lines")]
    [InlineData("1,2,0\n3,4,0\n", ": every label is 0; a classifier needs at least 2 classes")]
    [InlineData("1,0\n2,1\n3,0\n4,1\n", "--test-split 0.2: Dataset split")]
    public void Csv_problems_name_the_file_the_line_and_the_column(string csv, string expected)
    {
        var path = h.Write("bad.csv", csv);
        CliHarness.Run("train", "--data", path).AssertBadInput(expected.StartsWith("--") ? expected : path + expected);
    }

    [Fact]
    public void A_regression_target_column_outside_the_file_is_named()
    {
        var path = h.Write("r.csv", "1,2\n3,4\n");
        CliHarness.Run("train", "--data", path, "--target", "3").AssertBadInput($"{path}:1: --target column 3 is outside 1..2");
        CliHarness.Run("train", "--data", path, "--target", "1,2").AssertBadInput("at least one feature column must remain");
        CliHarness.Run("train", "--data", path, "--target", "2", "--loss", "hinge").AssertBadInput("--loss hinge: regression (--target) needs real targets");
    }

    [Fact]
    public void Output_folders_are_checked_before_training()
    {
        var missing = Path.Combine(h.Dir, "no-such-folder", "m.json");
        CliHarness.Run("train", "--out", missing).AssertBadInput("--out " + missing + ": the folder");
        CliHarness.Run("train", "--plot", missing).AssertBadInput("--plot");
        CliHarness.Run("train", "--out", h.Dir).AssertBadInput("is a folder");
    }

    [Fact]
    public void Nothing_existing_is_overwritten_when_a_run_fails()
    {
        var model = h.Write("m.json", "precious");
        var plot = h.Write("c.svg", "precious too");
        var bad = h.Write("bad.csv", "1,2,0\n3,x,1\n");
        CliHarness.Run("train", "--data", bad, "--out", model, "--plot", plot).AssertBadInput($"{bad}:2");
        Assert.Equal("precious", File.ReadAllText(model));
        Assert.Equal("precious too", File.ReadAllText(plot));
        Assert.Equal(3, Directory.GetFiles(h.Dir).Length); // no temporary file left behind
    }

    [Theory]
    [InlineData("{\"format\": \"mathdnn-model\", \"version\": 2}", "version 2 is not supported")]
    [InlineData("{\"format\": \"mathdnn-model\", \"version\": 1, \"input\": {\"size\": 2}, \"layers\": [{\"type\": \"dense\", \"W\": [[1, 2]", "not valid JSON")]
    [InlineData("{\"format\": \"mathdnn-model\", \"version\": 1, \"input\": {\"size\": 2}, \"layers\": [{\"type\": \"dense\", \"W\": [[1, 2], [3]], \"b\": [0, 0]}], \"loss\": \"l2\"}", "layers[0].W[1]: expected 2 values")]
    [InlineData("{\"format\": \"mathdnn-model\", \"version\": 1, \"input\": {\"size\": 2}, \"layers\": [{\"type\": \"dense\", \"W\": [[1, 2], [3, 4]], \"b\": [0, 0]}], \"loss\": \"nope\"}", "loss: unknown loss \"nope\"")]
    [InlineData("", "not valid JSON")]
    public void Corrupted_or_truncated_model_files_are_named(string json, string expected)
    {
        var model = h.Write("m.json", json);
        var r = CliHarness.Run("evaluate", "--model", model, "--data", "moons");
        r.AssertBadInput(expected);
        Assert.Contains(model, r.Err);
    }

    [Fact]
    public void A_model_whose_training_record_is_malformed_is_named_by_field()
    {
        var model = h.P("m.json");
        CliHarness.Run("train", "--data", "xor", "--layers", "4", "--epochs", "1", "--out", model).AssertOk();
        File.WriteAllText(model, File.ReadAllText(model).Replace("\"optimizer\": \"momentum\"", "\"optimizer\": 3"));
        CliHarness.Run("train", "--resume", model, "--epochs", "1").AssertBadInput("training.optimizer: expected a string, found number");
    }

    [Fact]
    public void Mnist_missing_corrupted_or_truncated_is_named()
    {
        var empty = Directory.CreateDirectory(h.P("empty")).FullName;
        CliHarness.Run("train", "--data", "mnist", "--mnist-dir", empty).AssertBadInput("scripts/get-mnist.sh");
        CliHarness.Run("train", "--data", "mnist", "--mnist-dir", h.P("nowhere")).AssertBadInput("no such folder");

        var dir = h.FakeMnist(train: 20, test: 10);
        var images = Path.Combine(dir, "train-images-idx3-ubyte");
        var bytes = File.ReadAllBytes(images);
        File.WriteAllBytes(images, bytes[..^100]);
        CliHarness.Run("train", "--data", "mnist", "--mnist-dir", dir).AssertBadInput($"{images}: truncated IDX file");
        bytes[2] = 0x0D; // type code of doubles
        File.WriteAllBytes(images, bytes);
        CliHarness.Run("train", "--data", "mnist", "--mnist-dir", dir).AssertBadInput("IDX type code 0x0D is not supported");
    }

    [Fact]
    public void Data_errors_of_the_library_are_printed_as_the_shell_words_them()
    {
        // The readers are MathDnn.Data's; the shell adds its option names and its hints, and exits with 2.
        void Line(string expected, params string[] args)
        {
            var r = CliHarness.Run(args);
            Assert.Equal(2, r.Code);
            Assert.Equal("", r.Out);
            Assert.Equal("mathdnn: " + expected + Environment.NewLine, r.Err);
        }
        var nowhere = h.P("nowhere");
        Line($"{nowhere}: no such folder; run scripts/get-mnist.sh to fetch MNIST (or give --mnist-dir).", "train", "--data", "mnist", "--mnist-dir", nowhere);
        var empty = Directory.CreateDirectory(h.P("empty")).FullName;
        Line($"{Path.Combine(empty, "train-images-idx3-ubyte")}: no such file (nor .gz); run scripts/get-mnist.sh to fetch MNIST.", "bench", "--data", "mnist", "--mnist-dir", empty);
        var r2 = h.Write("r.csv", "1,2\n3,4\n");
        Line($"{r2}:1: --target column 3 is outside 1..2 (the file has 2 columns).", "train", "--data", r2, "--target", "3");
        Line($"{r2}: --target lists a column twice (1,1).", "train", "--data", r2, "--target", "1,1");
        var bad = h.Write("bad.csv", "1,2,0\n3,four,1\n");
        Line($"{bad}:2: column 2 is \"four\", expected a number.", "train", "--data", bad);
    }

    [Fact]
    public void Stderr_is_empty_and_stdout_is_the_only_output_on_success()
    {
        var r = CliHarness.Run("datasets").AssertOk();
        Assert.Contains("digits", r.Out);
    }
}
