using System.Globalization;
using System.Runtime.InteropServices;
using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.Networks;
using MathDnn.Testing;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Testing;

/// <summary>
/// The property kit's one-call check of a primitive (MathDnn.Testing.PrimitiveCheck) from C#: every built-in primitive and
/// every way of writing one passes it; deliberately wrong primitives fail it, and the report names the failing check, the
/// mode, the entry, the point and both sides with the tolerance.
/// </summary>
public class PrimitiveCheckTests
{
    private const int Cases = 25;

    private static readonly Dictionary<string, Func<Layer>> BuiltIns = new()
    {
        ["dense 5 → 3 (003 Def 4.1)"] = () => new Dense(5, 3),
        ["maxout 4 → 3, 3 pieces (004)"] = () => new Maxout(4, 3, 3),
        ["relu (003 Def 2.1)"] = () => new Relu(),
        ["leaky-relu 0.1 (004)"] = () => new LeakyRelu(),
        ["elu 1 (004)"] = () => new Elu(),
        ["sigmoid (002 eq 4)"] = () => new Sigmoid(),
        ["tanh (002 eqs 6-7)"] = () => new Tanh(),
        ["identity (002 Section 5.1)"] = () => new Identity(),
        ["softmax (003 Def 2.2)"] = () => new Softmax(),
        ["gelu"] = () => new Gelu(),
        ["gelu-tanh"] = () => new GeluTanh(),
        ["silu"] = () => new Silu(),
        ["softplus"] = () => new Softplus(),
        ["dropout 0.3"] = () => new Dropout(0.3),
        ["dropout 0"] = () => new Dropout(0),
        ["layer-norm 6"] = () => new LayerNorm(6),
    };

    public static TheoryData<string> BuiltInNames() => [.. BuiltIns.Keys];

    [Theory]
    [MemberData(nameof(BuiltInNames))]
    public void Every_built_in_primitive_passes_the_one_call_check_003_Thm_1_3(string name)
    {
        var report = PrimitiveCheck.Assert(BuiltIns[name](), cases: Cases, seed: 11);
        Assert.True(report.Passed);
        Assert.Equal(Cases, report.Cases);
        // Every case compares at least its k·n·m ≥ 1 input-Jacobian entries in each of the two modes.
        Assert.True(report.Comparisons >= 2 * Cases, $"{report.Comparisons} comparisons");
        Assert.Contains("passed 25 cases", report.Message);
    }

    // ---- the ways of writing a primitive ----

    /// <summary>A C# ILayerDefinition: y = x ⊙ e^a (a ∈ ℝⁿ), J_x = diag(e^a), ∂y_j/∂a_j = x_j·e^{a_j}.</summary>
    private sealed class ExpScale(int n) : ILayerDefinition
    {
        public string Name => "exp-scale";
        public int? InputSize => n;
        public IReadOnlyList<ParameterShape> ParameterShapes => [ParameterShape.Vector("a", n)];

        public void Forward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, Batch b) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            for (int s = 0; s < b.Rows; s++)
                for (int j = 0; j < n; j++) y[s * n + j] = x[s * n + j] * T.Exp(p[j]);
        }

        public void Backward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, Span<T> g, Batch b)
            where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            g.Clear();
            for (int s = 0; s < b.Rows; s++)
                for (int j = 0; j < n; j++)
                {
                    g[j] += dy[s * n + j] * y[s * n + j];
                    if (!dx.IsEmpty) dx[s * n + j] = dy[s * n + j] * T.Exp(p[j]);
                }
        }
    }

    /// <summary>A C# IElementwiseDefinition: the logistic sigmoid's odd cousin z·σ(z) − ½z (smooth, f′ = σ + zσ(1 − σ) − ½).</summary>
    private sealed class ShiftedSilu : IElementwiseDefinition
    {
        public string Name => "shifted-silu";
        public T Value<T>(T z) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => z * Sigmoid.Logistic(z) - z / (T.One + T.One);

        public T Derivative<T>(T z, T y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            T s = Sigmoid.Logistic(z);
            return s + z * s * (T.One - s) - T.One / (T.One + T.One);
        }
    }

    private static readonly Dictionary<string, Func<Layer>> UserForms = new()
    {
        ["CustomLayer (ILayerDefinition)"] = () => new CustomLayer(new ExpScale(4)),
        ["CustomActivation (IElementwiseDefinition)"] = () => new CustomActivation(new ShiftedSilu()),
        // softsign: f″ jumps at 0 — an unknown kink, handled by re-drawing the rare points within reach of it.
        ["FunctionActivation (softsign)"] = () => new FunctionActivation("softsign", z => z / (1 + Math.Abs(z)), (z, _) => 1 / ((1 + Math.Abs(z)) * (1 + Math.Abs(z)))),
        ["FunctionLayer (PerSampleLayer): y = (x₀·x₁, sin x₀ + c)"] = () => new FunctionLayer(
            "product-sine",
            (c, x) => Vector<double>.Build.DenseOfArray([x[0] * x[1], Math.Sin(x[0]) + c[0]]),
            (c, x, y, u) => (Vector<double>.Build.DenseOfArray([u[0] * x[1] + u[1] * Math.Cos(x[0]), u[0] * x[0]]), Vector<double>.Build.DenseOfArray([u[1]])),
            outputSize: _ => 2, parameterShapes: [ParameterShape.Vector("c", 1)], inputSize: 2),
    };

    public static TheoryData<string> UserFormNames() => [.. UserForms.Keys];

    [Theory]
    [MemberData(nameof(UserFormNames))]
    public void Every_way_of_writing_a_primitive_is_checked_by_one_call_003_Thm_1_3(string name)
    {
        var report = PrimitiveCheck.Assert(UserForms[name](), cases: Cases, seed: 5);
        Assert.Equal(Cases, report.Cases);
    }

    // ---- wrong primitives fail, and the report says where ----

    /// <summary>tanh with f′ = 1.1·(1 − tanh²): the derivative off by a factor.</summary>
    private sealed record TanhWrongDerivative : ElementwiseActivation
    {
        public override string Name => "tanh-wrong-derivative";
        public override T Value<T>(T z) => T.Tanh(z);
        public override T Derivative<T>(T z, T y) => T.CreateTruncating(1.1) * (T.One - y * y);
    }

    /// <summary>y = x·Wᵀ + b whose Backward forgets the bias term of the parameter gradient (db left 0).</summary>
    private sealed record AffineForgettingBias(int Inputs, int Outputs) : Layer
    {
        public override string Name => "affine-forgetting-bias";
        public override int? InputSize => Inputs;
        public override int OutputSize(int inputSize) => Outputs;
        public override IReadOnlyList<ParameterShape> ParameterShapes => [new("W", Outputs, Inputs), ParameterShape.Vector("b", Outputs)];

        public override void Forward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, Batch batch)
        {
            for (int s = 0; s < batch.Rows; s++)
                for (int i = 0; i < Outputs; i++)
                {
                    T acc = p[Outputs * Inputs + i];
                    for (int j = 0; j < Inputs; j++) acc += p[i * Inputs + j] * x[s * Inputs + j];
                    y[s * Outputs + i] = acc;
                }
        }

        public override void Backward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, Span<T> g, Batch batch)
        {
            g.Clear();
            for (int s = 0; s < batch.Rows; s++)
                for (int i = 0; i < Outputs; i++)
                    for (int j = 0; j < Inputs; j++) g[i * Inputs + j] += dy[s * Outputs + i] * x[s * Inputs + j];
            // (the bias term g[W.Length + i] += dy[s, i] is forgotten)
            if (dx.IsEmpty) return;
            for (int s = 0; s < batch.Rows; s++)
                for (int j = 0; j < Inputs; j++)
                {
                    T acc = T.Zero;
                    for (int i = 0; i < Outputs; i++) acc += dy[s * Outputs + i] * p[i * Inputs + j];
                    dx[s * Inputs + j] = acc;
                }
        }
    }

    /// <summary>y = 2x, computed by doubling x in place through its read-only span and copying it (then nudging x).</summary>
    private sealed record DoublingInPlace : Activation
    {
        public override string Name => "doubling-in-place";

        public override void Forward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, Batch batch)
        {
            var xs = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(x), x.Length);
            for (int i = 0; i < xs.Length; i++) y[i] = xs[i] + xs[i];
            for (int i = 0; i < xs.Length; i++) xs[i] += T.CreateTruncating(1e-3);
        }

        public override void Backward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, Span<T> g, Batch batch)
        {
            if (!dx.IsEmpty) for (int i = 0; i < dx.Length; i++) dx[i] = dy[i] + dy[i];
        }
    }

    /// <summary>y = 2x, computed as x + x on odd calls and (x·⅓)·6 on even ones (a call counter): nondeterministic in the last bits.</summary>
    private sealed record AlternatingRounding : Activation
    {
        private static int calls;
        public override string Name => "alternating-rounding";

        public override void Forward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, Batch batch)
        {
            bool odd = (Interlocked.Increment(ref calls) & 1) == 1;
            T third = T.One / T.CreateTruncating(3);
            for (int i = 0; i < x.Length; i++) y[i] = odd ? x[i] + x[i] : x[i] * third * T.CreateTruncating(6);
        }

        public override void Backward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, Span<T> g, Batch batch)
        {
            if (!dx.IsEmpty) for (int i = 0; i < dx.Length; i++) dx[i] = dy[i] + dy[i];
        }
    }

    /// <summary>y_s = tanh(x_{(s+1) mod k}): row s reads the next row (an indexing bug), its backward pass consistent with that.</summary>
    private sealed record NextRowTanh : Activation
    {
        public override string Name => "next-row-tanh";

        public override void Forward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, Batch b)
        {
            int n = b.InputWidth;
            for (int s = 0; s < b.Rows; s++)
                for (int j = 0; j < n; j++) y[s * n + j] = T.Tanh(x[(s + 1) % b.Rows * n + j]);
        }

        public override void Backward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, Span<T> g, Batch b)
        {
            if (dx.IsEmpty) return;
            int n = b.InputWidth;
            for (int s = 0; s < b.Rows; s++)
                for (int j = 0; j < n; j++)
                {
                    int from = (s + b.Rows - 1) % b.Rows; // the row whose output read row s
                    dx[s * n + j] = dy[from * n + j] * (T.One - y[from * n + j] * y[from * n + j]);
                }
        }
    }

    /// <summary>tanh, but 0.1 % too large in float32 only (a constant of the float path).</summary>
    private sealed record TanhFloatBug : ElementwiseActivation
    {
        public override string Name => "tanh-float-bug";
        public override T Value<T>(T z) => typeof(T) == typeof(float) ? T.Tanh(z) * T.CreateTruncating(1.001) : T.Tanh(z);
        public override T Derivative<T>(T z, T y) => T.One - T.Tanh(z) * T.Tanh(z);
    }

    /// <summary>A per-feature bias y = x + b whose Backward adds into the parameter gradient without clearing it first.</summary>
    private sealed record BiasAccumulating(int N) : Layer
    {
        public override string Name => "bias-accumulating";
        public override int? InputSize => N;
        public override IReadOnlyList<ParameterShape> ParameterShapes => [ParameterShape.Vector("b", N)];

        public override void Forward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, Batch b)
        {
            for (int i = 0; i < b.Rows * N; i++) y[i] = x[i] + p[i % N];
        }

        public override void Backward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, Span<T> g, Batch b)
        {
            for (int i = 0; i < b.Rows * N; i++) g[i % N] += dy[i]; // g is not cleared first
            if (!dx.IsEmpty) dy[..(b.Rows * N)].CopyTo(dx);
        }
    }

    /// <summary>The identity, remembering the last input it saw in a private array (a layer that is not a value).</summary>
    private sealed record RememberingIdentity : Activation
    {
        private readonly double[] last = new double[1];
        public override string Name => "remembering-identity";

        public override void Forward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, Span<T> y, Batch b)
        {
            x[..(b.Rows * b.InputWidth)].CopyTo(y);
            last[0] = double.CreateTruncating(x[0]);
        }

        public override void Backward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, Span<T> g, Batch b)
        {
            if (!dx.IsEmpty) dy[..(b.Rows * b.InputWidth)].CopyTo(dx);
        }
    }

    private static string G17(double v) => v.ToString("G17", CultureInfo.InvariantCulture);

    /// <summary>The failing report, with the checks common to every failure: the exception carries it, and the message names the layer, the point and every failure's both sides.</summary>
    private static PrimitiveReport Failing(Layer layer, int rows = 4)
    {
        var e = Assert.Throws<PrimitiveCheckException>(() => PrimitiveCheck.Assert(layer, rows: rows, cases: Cases, seed: 3));
        var report = e.Report;
        Assert.False(report.Passed);
        Assert.Equal(report.Message, e.Message);
        Assert.Contains(layer.Name, e.Message);
        Assert.NotNull(report.Point);
        var point = report.Point!.Value;
        Assert.Contains($"X[0] = {PrimitivePoint.Row(point.X, 0, point.InputWidth)}", e.Message);
        Assert.Contains($"U[0] = {PrimitivePoint.Row(point.U, 0, point.OutputWidth)}", e.Message);
        foreach (var f in report.Failures)
        {
            Assert.Contains(f.Check, e.Message);
            Assert.Contains(f.Mode, e.Message);
            if (f.ActualName != "")
            {
                Assert.Contains($"{f.ActualName}: {G17(f.Actual)}", e.Message);
                Assert.Contains($"{f.ExpectedName}: {G17(f.Expected)}", e.Message);
                Assert.False(Math.Abs(f.Actual - f.Expected) <= f.Tolerance, $"{f} is reported but within its tolerance");
            }
        }
        return report;
    }

    private static PrimitiveFailure[] Of(PrimitiveReport report, PrimitiveCheckKind kind) => [.. report.Failures.Where(f => f.Kind == kind)];

    [Fact]
    public void A_derivative_off_by_a_factor_fails_the_Jacobian_and_backward_checks_003_Thm_1_3()
    {
        var report = Failing(new TanhWrongDerivative());
        Assert.Equal(new[] { PrimitiveCheckKind.Jacobian, PrimitiveCheckKind.Backward }, report.Failures.Select(f => f.Kind).Distinct());
        Assert.Contains("1. Jacobian vs central differences", report.Message);
        Assert.Contains("2. backward vs u·J", report.Message);
        Assert.Contains("evaluation (Batch.Training = false)", report.Message);
        Assert.Contains("training step (Batch.Training = true, Batch.Seed = ", report.Message);
        // Both sides are the claimed J = 1.1·tanh′ and the central difference of tanh′: their ratio is 1.1.
        foreach (var f in Of(report, PrimitiveCheckKind.Jacobian))
        {
            Assert.Equal("central difference of Forward", f.ExpectedName);
            Assert.Equal(1.1, f.Actual / f.Expected, 1e-6);
        }
    }

    [Fact]
    public void A_backward_pass_forgetting_the_bias_term_fails_exactly_at_the_bias_entries_003_Thm_1_3()
    {
        var report = Failing(new AffineForgettingBias(4, 3));
        Assert.Equal(new[] { PrimitiveCheckKind.Jacobian, PrimitiveCheckKind.Backward }, report.Failures.Select(f => f.Kind).Distinct());
        Assert.All(report.Failures, f => Assert.Contains("= b[", f.Location));
        var jacobian = Assert.Single(Of(report, PrimitiveCheckKind.Jacobian), f => f.Mode.StartsWith("evaluation", StringComparison.Ordinal));
        Assert.Equal("parameter Jacobian implied by Backward (δ = e_i at sample s)", jacobian.Part);
        Assert.Equal(0, jacobian.Actual);                     // Backward: ∂y_i/∂b_i = 0
        Assert.Equal(1, jacobian.Expected, 1e-9);             // the central difference: 1
        var gradient = Of(report, PrimitiveCheckKind.Backward).First();
        Assert.Equal("parameter gradient (Σ_s U_s·J_θ(x_s))", gradient.Part);
        Assert.Equal(0, gradient.Actual);
        Assert.Contains("Σ_s U_s·J_θ(x_s) by central differences", report.Message);
    }

    [Fact]
    public void A_layer_writing_its_input_fails_purity_and_nothing_else()
    {
        var report = Failing(new DoublingInPlace());
        Assert.All(report.Failures, f => Assert.Equal(PrimitiveCheckKind.Purity, f.Kind));
        Assert.Contains("5. purity", report.Message);
        var f = report.Failures.First(f => f.Part == "Forward<double> modified its argument x");
        Assert.Equal(f.Expected + 1e-3, f.Actual, 1e-12);     // x_i after the call is x_i + 10⁻³
        Assert.Contains("after the call: ", report.Message);
        Assert.Contains("before the call: ", report.Message);
        Assert.Contains(report.Failures, f => f.Part == "Forward<float> modified its argument x");
    }

    [Fact]
    public void A_nondeterministic_layer_fails_determinism_and_nothing_else()
    {
        var report = Failing(new AlternatingRounding());
        Assert.All(report.Failures, f => Assert.Equal(PrimitiveCheckKind.Determinism, f.Kind));
        var f = report.Failures.First();
        Assert.Equal("Forward repeated", f.Part);
        Assert.NotEqual(BitConverter.DoubleToInt64Bits(f.Expected), BitConverter.DoubleToInt64Bits(f.Actual));
        Assert.Equal(f.Expected, f.Actual, 4e-15 * Math.Max(1, Math.Abs(f.Expected))); // the last bits only
        Assert.Contains("6. determinism", report.Message);
        Assert.Contains("second call: ", report.Message);
        Assert.Contains("first call: ", report.Message);
    }

    [Fact]
    public void A_layer_reading_the_next_row_fails_row_independence_and_batch_vs_per_sample()
    {
        // One row is its own next row, so the bug shows from the first case with two rows or more.
        var report = Failing(new NextRowTanh());
        Assert.True(report.Point!.Value.Rows >= 2);
        Assert.Contains(report.Failures, f => f.Kind == PrimitiveCheckKind.Jacobian && f.Part.StartsWith("rows independent", StringComparison.Ordinal));
        Assert.Contains(report.Failures, f => f.Kind == PrimitiveCheckKind.BatchPerSample && f.Part == "Forward");
        Assert.Contains("3. batch vs per-sample", report.Message);
        Assert.DoesNotContain(report.Failures, f => f.Kind == PrimitiveCheckKind.BatchPerSample && f.Mode.StartsWith("training", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bug_of_the_float32_path_fails_float32_vs_float64_and_nothing_else()
    {
        var report = Failing(new TanhFloatBug());
        Assert.All(report.Failures, f => Assert.Equal(PrimitiveCheckKind.Float32, f.Kind));
        var f = report.Failures.First(f => f.Part == "Forward");
        Assert.Equal(1.001, f.Actual / f.Expected, 1e-5);
        Assert.Contains("Forward<float>: ", report.Message);
        Assert.Contains("Forward<double>: ", report.Message);
    }

    [Fact]
    public void A_backward_pass_accumulating_into_the_gradient_is_caught_by_its_NaN_start()
    {
        var report = Failing(new BiasAccumulating(3));
        var f = Assert.Single(report.Failures.Select(f => f.Kind).Distinct());
        Assert.Equal(PrimitiveCheckKind.Execution, f);
        Assert.Contains("Backward<double> wrote a non-finite value in the parameter gradient", report.Message);
        Assert.Contains("accumulated into", report.Message);
    }

    [Fact]
    public void A_layer_changing_its_own_fields_fails_purity()
    {
        var report = Failing(new RememberingIdentity());
        var f = Assert.Single(report.Failures);
        Assert.Equal(PrimitiveCheckKind.Purity, f.Kind);
        Assert.Equal("the layer's value changed during the calls", f.Part);
        Assert.Equal("layer.last[0]", f.Location);
    }

    /// <summary>x + 10⁻⁴·|sin(πx·10⁵)|: a kink every 10⁻⁵, inside every probe's reach 2h ≈ 1.2e-5.</summary>
    private sealed record Wiggly : ElementwiseActivation
    {
        public override string Name => "wiggly";
        public override T Value<T>(T z) => z + T.CreateTruncating(1e-4) * T.Abs(T.Sin(z * T.CreateTruncating(Math.PI * 1e5)));

        public override T Derivative<T>(T z, T y)
        {
            T a = z * T.CreateTruncating(Math.PI * 1e5);
            return T.One + T.CreateTruncating(1e-4 * Math.PI * 1e5) * T.Cos(a) * T.CreateTruncating(Math.Sign(double.CreateTruncating(T.Sin(a))));
        }
    }

    [Fact]
    public void A_layer_that_is_nowhere_smooth_at_the_central_differences_scale_fails_after_too_many_re_draws()
    {
        var report = PrimitiveCheck.Run(new Wiggly(), cases: 5);
        Assert.False(report.Passed);
        Assert.Equal(0, report.Cases);
        Assert.Equal(11, report.Rejected);                     // max(10, cases) re-draws allowed, the 11th gives up
        Assert.Null(report.Point);
        Assert.Contains("too many points re-drawn near a kink", report.Message);
        Assert.Contains("fourth difference", report.RejectionReason);
    }

    [Fact]
    public void A_point_on_a_kink_is_re_drawn_not_compared()
    {
        // ReLU at x = 0 exactly: backpropagation takes 𝓡′(0) = 0 (003 Assumption 1), central differences ½ — not a bug.
        var onKink = new PrimitivePoint(3, 3, 1, [0.5, 0.0, -1.0], [], [1.0, 1.0, 1.0], 7UL);
        var report = PrimitiveCheck.Evaluate(new Relu(), onKink);
        Assert.True(report.Passed);
        Assert.Equal(0, report.Cases);
        Assert.Equal(1, report.Rejected);
        Assert.Contains("kink", report.RejectionReason);
        // An unknown kink (a FunctionActivation knows nothing of it) is found by the fourth-difference test.
        var absolute = new FunctionActivation("abs", Math.Abs, (z, _) => Math.Sign(z));
        var unknown = PrimitiveCheck.Evaluate(absolute, onKink);
        Assert.Equal(1, unknown.Rejected);
        Assert.Contains("fourth difference of Y[0,1]", unknown.RejectionReason);
        // Away from the kink the same point is checked.
        var away = PrimitiveCheck.Evaluate(absolute, new PrimitivePoint(3, 3, 1, [0.5, 0.25, -1.0], [], [1.0, 1.0, 1.0], 7UL));
        Assert.True(away.Passed);
        Assert.Equal(1, away.Cases);
    }

    [Fact]
    public void A_one_piece_maxout_is_an_affine_map_without_ties()
    {
        // Regression: Kinks.network took the second-best piece of every maxout unit and threw for a single piece.
        var x = Matrix<double>.Build.DenseOfRowArrays([0.5, -1.0, 2.0]);
        var net = MathDnn.FSharp.Network.create(3, 1, Microsoft.FSharp.Collections.ListModule.OfArray(new Layer[] { new Maxout(3, 2, 1) }));
        Assert.True(Kinks.network(true, true, net, x));
        Assert.Equal(Cases, PrimitiveCheck.Assert(new Maxout(3, 2, 1), cases: Cases).Cases);
    }

    [Fact]
    public void The_check_is_seeded_and_validates_its_arguments()
    {
        var a = PrimitiveCheck.Run(new LayerNorm(4), cases: 5, seed: 9);
        var b = PrimitiveCheck.Run(new LayerNorm(4), cases: 5, seed: 9);
        var c = PrimitiveCheck.Run(new LayerNorm(4), cases: 5, seed: 10);
        Assert.Equal(a.Comparisons, b.Comparisons);
        Assert.NotEqual(a.Comparisons, c.Comparisons);         // other rows counts drawn
        Assert.Throws<ArgumentException>(() => PrimitiveCheck.Run(new Dense(3, 2), inputWidth: 4));
        Assert.Throws<ArgumentException>(() => PrimitiveCheck.Run(new Relu(), rows: 0));
        Assert.Throws<ArgumentException>(() => PrimitiveCheck.Run(new Relu(), bound: double.NaN));
        // A layer of any width is checked at widths 1..6, or at the width asked for.
        var widths = FsCheck.FSharp.Gen.Sample(new FsCheck.Rnd(1UL, 3UL), 10, 40, PrimitiveCheck.Points(new Relu()).Generator).Select(p => p.InputWidth).ToArray();
        Assert.Equal(Enumerable.Range(1, 6), widths.Distinct().Order());
        Assert.All(FsCheck.FSharp.Gen.Sample(new FsCheck.Rnd(1UL, 3UL), 10, 40, PrimitiveCheck.Points(new Relu(), inputWidth: 3).Generator),
            p => Assert.Equal((3, 3), (p.InputWidth, p.OutputWidth)));
    }

    [Fact]
    public void Parameters_are_drawn_by_the_layers_own_initialisation_and_perturbed()
    {
        // Layer normalisation starts at γ = 1, β = 0; the check's θ is that plus U(−½, ½) per entry, so neither is trivial.
        var points = FsCheck.FSharp.Gen.Sample(new FsCheck.Rnd(1UL, 3UL), 10, 50, PrimitiveCheck.Points(new LayerNorm(3)).Generator);
        foreach (var p in points)
        {
            Assert.All(p.Theta[..3], g => Assert.InRange(g, 0.5, 1.5));
            Assert.All(p.Theta[3..], b => Assert.InRange(b, -0.5, 0.5));
            Assert.Contains(p.Theta, v => v != 1 && v != 0);
            Assert.InRange(p.Rows, 1, 4);
            Assert.All(p.X, x => Assert.InRange(x, -2, 2));
            Assert.All(p.U, u => Assert.InRange(u, -1, 1));
        }
        Assert.Contains(points, p => p.Rows == 1);
        Assert.Contains(points, p => p.Rows == 4);
    }
}
