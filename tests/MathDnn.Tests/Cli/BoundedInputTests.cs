namespace MathDnn.Tests.Cli;

/// <summary>
/// Inputs that used to exhaust memory or overflow (issue 13, items 5–7, 10): refused with exit 2 and one line before anything
/// of their size is allocated. The memory cases run as a child process under a 512 MiB GC heap (<see cref="CliProcess"/>), so a
/// regression fails with an out-of-memory error (exit 1) instead of taking the machine's 23 GB.
/// </summary>
public sealed class BoundedInputTests : IDisposable
{
    private readonly CliHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public void A_network_that_cannot_fit_is_refused_before_allocating_with_the_estimate_and_the_limit()
    {
        // 20000 × 20000: |θ| ≈ 4.0·10⁸, 3.0 GiB per copy of θ; it allocated 18 GB before anything said no.
        var r = CliProcess.Run(CliProcess.SmallHeap, "train", "--layers", "20000,20000", "--epochs", "1");
        r.AssertBadInput("--layers 20000,20000 --batch 32: training needs an estimated ");
        Assert.Contains("(parameters 3.0 GiB, gradients 3.0 GiB, optimizer buffers 9.0 GiB", r.Err);
        Assert.Contains("more than the 512 MiB this process may use", r.Err);
    }

    [Fact]
    public void Layer_sizes_whose_product_overflows_an_index_are_refused()
    {
        var r = CliProcess.Run(CliProcess.SmallHeap, "train", "--layers", "1000000,1000000", "--epochs", "1");
        r.AssertBadInput("--layers 1000000,1000000 --batch 32: Network: layer 2 (dense(1000000→1000000)) brings |θ| to 1,000,065,000,000 parameters");
        Assert.Contains("θ is one array of at most 2,147,483,591 entries", r.Err);
    }

    [Fact]
    public void A_run_that_fits_still_trains_under_the_same_limit()
    {
        var r = CliProcess.Run(CliProcess.SmallHeap, "train", "--data", "xor", "--epochs", "2", "--json");
        r.AssertOk();
        Assert.Equal(2, r.Json().GetProperty("epochs").GetInt32());
        // And the default run (digits, 64 → 64 → 32 → 10) for one epoch.
        CliProcess.Run(CliProcess.SmallHeap, "train", "--epochs", "1").AssertOk();
    }

    [Theory]
    [InlineData("1000000000")]
    [InlineData("50000000")]
    [InlineData("20000000")]
    public void A_huge_label_is_refused_naming_the_file_line_and_column(string label)
    {
        // 1e9 overflowed; 2e7 allocated past 8 GB (one-hot targets of 2·10⁷ classes).
        var path = h.Write("labels.csv", $"0.1,0.2,0\n0.3,0.4,1\n0.5,0.6,{label}\n0.7,0.8,1\n");
        CliProcess.Run(CliProcess.SmallHeap, "train", "--data", path, "--epochs", "1")
            .AssertBadInput($"{path}:3: column 3 (the label) is {label}, above the limit 65535: labels define the classes, at most 65536 (0..65535).");
    }

    [Fact]
    public void A_file_of_one_huge_line_is_refused_at_the_line_limit()
    {
        // 3 MiB of digits without a line break: a 50 MB line took 371 MB; now reading stops at 1 MiB.
        var path = h.P("oneline.csv");
        File.WriteAllText(path, new string('1', 3 << 20));
        CliProcess.Run(CliProcess.SmallHeap, "train", "--data", path, "--epochs", "1")
            .AssertBadInput($"{path}:1: the line is longer than 1048576 characters, the limit of a CSV line (CsvData.MaxLineLength)");
    }

    [Fact]
    public void Binary_data_is_named_with_its_bytes_escaped_and_no_raw_control_byte_reaches_the_terminal()
    {
        var path = h.P("binary.csv");
        File.WriteAllBytes(path, [(byte)'1', (byte)',', 0x1B, (byte)'[', (byte)'2', (byte)'J', 0x00, 0x07, 0xFF, (byte)'\n']);
        var r = CliHarness.Run("train", "--data", path);
        r.AssertBadInput($"{path}:1: column 2 holds the control character \\x1b (character 3 of the line: \"1,\\x1b[2J\\x00\\x07");
        Assert.Contains("binary data, not CSV text.", r.Err);
        Assert.DoesNotContain(r.Err.TrimEnd('\n'), char.IsControl);
        // predict and evaluate read CSVs the same way.
        var model = h.P("m.json");
        CliHarness.Run("train", "--data", "xor", "--epochs", "1", "--out", model).AssertOk();
        CliHarness.Run("predict", "--model", model, "--data", path).AssertBadInput("binary data, not CSV text.");
        CliHarness.Run("evaluate", "--model", model, "--data", path).AssertBadInput("binary data, not CSV text.");
    }

    [Fact]
    public void A_NUL_inside_a_cell_is_refused()
    {
        var path = h.Write("nul.csv", "0.1,0.2,0\n0.3,0.4\0,1\n0.5,0.6,0\n0.7,0.8,1\n");
        CliHarness.Run("train", "--data", path).AssertBadInput($"{path}:2: column 2 holds the control character \\x00");
    }

    // ---- non-finite outputs (item 8) ----

    private string SaveModel(string name, MathDnn.Networks.Network network)
    {
        var path = h.P(name);
        MathDnn.IO.ModelFile.Save(path, new MathDnn.IO.SavedModel(network, "categorical-cross-entropy"));
        return path;
    }

    [Fact]
    public void Predict_on_a_model_whose_outputs_overflow_names_the_model_and_the_sample()
    {
        // Finite weights (1e200) whose products overflow, as the last finite model of a diverged run: rows of NaN with exit 0 before.
        var model = SaveModel("diverged.json", Networks.NonFiniteOutputTests.Overflowing(1e200));
        var data = h.Write("x.csv", "0,0\n0,0\n3,0\n");
        var r = CliHarness.Run("predict", "--model", model, "--data", data);
        r.AssertBadInput($"{model}: on {data}, sample 3: the output of layer 2 (dense) is Infinity at unit 0; the network overflows on this input (max |θ| = 1E+200).");
        CliHarness.Run("evaluate", "--model", model, "--data", h.Write("xy.csv", "0,0,0\n3,0,1\n"))
            .AssertBadInput($"{model}: on {h.P("xy.csv")}, sample 2: the output of layer 2 (dense) is Infinity");
    }

    [Fact]
    public void Evaluate_with_logits_near_the_largest_double_is_bad_input_naming_the_model_not_exit_1()
    {
        var model = SaveModel("huge-logits.json", Networks.NonFiniteOutputTests.Overflowing(Math.Sqrt(1.7e308)));
        var data = h.Write("d.csv", "1,1,0\n1,1,1\n");
        CliHarness.Run("evaluate", "--model", model, "--data", data)
            .AssertBadInput($"{model}: on {data}, sample 2: the categorical-cross-entropy loss is Infinity although every layer's output is finite");
        // Its probabilities are finite (softmax of ±1.7e308 is (1, 0)): predict answers.
        var p = CliHarness.Run("predict", "--model", model, "--data", h.Write("x.csv", "1,1\n")).AssertOk();
        Assert.Equal("p0,p1,predicted\n1,0,0\n", p.Out);
    }
}
