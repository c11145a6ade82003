using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.Networks;
using MathDnn.Onnx;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MathDnn.Tests.Onnx;

/// <summary>Runs exported models in ONNX Runtime and bounds the forward error of a network's evaluation.</summary>
internal static class OnnxKit
{
    public const double U64 = 1.0 / (1L << 53); // unit roundoff of double, 2⁻⁵³
    public const double U32 = 1.0 / (1 << 24);  // unit roundoff of float, 2⁻²⁴

    /// <summary>The model's output on X in ONNX Runtime (float32 or float64 tensors), widened to double.</summary>
    public static Matrix<double> Run(byte[] model, Matrix<double> x, OnnxPrecision precision)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        int k = x.RowCount, n = x.ColumnCount;
        var row = x.ToRowMajorArray();
        NamedOnnxValue input = precision == OnnxPrecision.Float32
            ? NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(row.Select(v => (float)v).ToArray(), [k, n]))
            : NamedOnnxValue.CreateFromTensor("input", new DenseTensor<double>(row, [k, n]));
        using var results = session.Run([input]);
        var output = results.Single(r => r.Name == "output");
        double[] y = precision == OnnxPrecision.Float32
            ? [.. output.AsTensor<float>().ToArray().Select(v => (double)v)]
            : output.AsTensor<double>().ToArray();
        int m = y.Length / k;
        return Matrix<double>.Build.Dense(k, m, (i, j) => y[i * m + j]);
    }

    /// <summary>The network's first <paramref name="count"/> layers with their share of θ.</summary>
    public static Network Prefix(Network network, int count)
    {
        var layers = network.Layers.Take(count).ToList();
        var (layout, _) = Network.LayoutOf(network.InputSize, layers);
        return Network.Create(network.InputSize, layers, Parameters.FromArray(layout, network.Parameters.AsSpan()[..layout.Count]));
    }

    private static double MaxAbs(Matrix<double> m) => m.Enumerate().Max(Math.Abs);

    private static double Gamma(int n, double u) => n * u / (1 - n * u);

    /// <summary>
    /// A bound on max |computed − exact| over the outputs of the network on X when every operation rounds with unit
    /// roundoff u (θ and X rounded once when <paramref name="roundsInputs"/>), by forward error analysis in the ∞-norm,
    /// layer by layer: E' = L·E + r, L the layer's Lipschitz constant on ∞-norms and r its own rounding —
    /// a dot product of n terms plus a bias (and the rounding of θ) errs by γ_{n+2}(‖W‖∞A + ‖b‖∞), γ_k = ku/(1 − ku)
    /// (Higham, Accuracy and Stability, §3.1), an activation by c·u·max(A_in, A_out) with c = 16 ulps for a composition
    /// of up to 7 operations with elementary functions accurate to a few ulps, softmax by 16u(1 + 2A_in) (exp of
    /// z − max z errs relatively by |z − max z|·u ≤ 2A_in·u). A is the largest |activation| of the exact (double) run.
    /// </summary>
    public static double ErrorBound(Network network, Matrix<double> x, double u, bool roundsInputs)
    {
        const double c = 16;
        double e = roundsInputs ? u * MaxAbs(x) : 0;
        var h = x;
        for (int k = 0; k < network.Layers.Length; k++)
        {
            var layer = network.Layers[k];
            var next = Prefix(network, k + 1).Forward(x);
            double aIn = MaxAbs(h), aOut = MaxAbs(next);
            switch (layer)
            {
                case Dense or Maxout:
                    {
                        var w = network.Parameters.Weights(k);
                        double norm = w.RowAbsoluteSums().Max(), b = network.Parameters.Bias(k).AbsoluteMaximum();
                        e = norm * e + Gamma(w.ColumnCount + 2, u) * (norm * aIn + b);
                        break;
                    }
                case LayerNorm ln:
                    {
                        // J = diag(γ)/σ·(I − 𝟙𝟙ᵀ/n − x̂x̂ᵀ/n): ‖J‖∞ ≤ max|γ|/σ·(2 + max|x̂|) since Σ_j|x̂_j|/n ≤ 1. Its rounding:
                        // mean and variance of n terms (γ_{2n+8} relative, and a variance formed as E[x²] − μ² cancels
                        // by (A_in/σ)²), times max|γ|·max|x̂|, plus the final γ⊙x̂ + β.
                        var p = network.Parameters;
                        double gain = p.Block(p.Layout.Block(k, "gain")).Enumerate().Max(Math.Abs);
                        double lip = 0, xhat = 0, cancel = 0; // per row: ‖J‖∞, max|x̂|, (max|x|/σ)²
                        for (int r = 0; r < h.RowCount; r++)
                        {
                            var row = h.Row(r);
                            double mu = row.Average(), v = row.Select(t => (t - mu) * (t - mu)).Average();
                            double s = Math.Sqrt(v + ln.Epsilon), xr = row.Select(t => Math.Abs(t - mu) / s).Max();
                            xhat = Math.Max(xhat, xr);
                            lip = Math.Max(lip, gain / s * (2 + xr));
                            cancel = Math.Max(cancel, Math.Pow(row.AbsoluteMaximum() / s, 2));
                        }
                        e = lip * e + gain * xhat * Gamma(2 * ln.Features + 8, u) * (1 + cancel) + 2 * u * aOut;
                        break;
                    }
                case Softmax:
                    e = e + c * u * (1 + 2 * aIn);
                    break;
                case Dropout or Identity:
                    break;
                case ElementwiseActivation f:
                    e = Lipschitz(f) * e + c * u * Math.Max(aIn, aOut);
                    break;
                default:
                    throw new ArgumentException($"no error bound for {layer.Name}");
            }
            h = next;
        }
        return e;
    }

    /// <summary>sup |f′| of the built-in elementwise activations (GELU's is 1.129 at z ≈ 2.4, SiLU's 1.0998 at z ≈ 2.4).</summary>
    private static double Lipschitz(ElementwiseActivation f) => f switch
    {
        LeakyRelu l => Math.Max(1, Math.Abs(l.Slope)),
        Elu el => Math.Max(1, el.Alpha),
        Sigmoid => 0.25,
        Gelu or GeluTanh => 1.13,
        Silu => 1.1,
        _ => 1, // ReLU, tanh, softplus
    };

    /// <summary>A layer as text: its type, its settings and its parameter shapes (layers are compared by what they are).</summary>
    public static string Describe(Layer layer) =>
        $"{layer.GetType().Name}[{string.Join(", ", layer.Settings.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value:R}"))}]" +
        $"({string.Join(", ", layer.ParameterShapes.Select(p => $"{p.Name} {p.Rows}×{p.Columns}"))}) in {layer.InputSize}";

    public static void SameLayers(Network expected, Network actual) =>
        Assert.Equal(expected.Layers.Select(Describe), actual.Layers.Select(Describe));

    /// <summary>|expected − actual| ≤ tolerance entry by entry, naming the first entry that is not.</summary>
    public static void AssertClose(Matrix<double> expected, Matrix<double> actual, double tolerance, string what)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        Assert.True(tolerance > 0 && double.IsFinite(tolerance), $"{what}: tolerance {tolerance}");
        for (int i = 0; i < expected.RowCount; i++)
            for (int j = 0; j < expected.ColumnCount; j++)
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= tolerance,
                    $"{what}: entry ({i}, {j}) is {actual[i, j]:G17}, expected {expected[i, j]:G17} (|Δ| = {Math.Abs(expected[i, j] - actual[i, j]):G3}, tolerance {tolerance:G3})");
    }
}
