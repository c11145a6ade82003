using MathDnn.Jacobians;
using MathDnn.Losses;
using MathDnn.Networks;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.Jacobians;

/// <summary>
/// The README's structured-Jacobian example (C#), compiled and run here; the code between the markers must equal the
/// README's ```csharp block marked jacobians-csharp (a test compares them).
/// </summary>
public class ReadmeJacobianExamples
{
    [Fact]
    public void Structured_jacobian_example_runs_and_does_what_the_README_says_003_Thm_1_3()
    {
        // README jacobians begin
        // 𝒩_c+ : 784 → 256 → 128 → 10 (003 Def 5.1) at one sample x.
        var net = Network.MultiClass([784, 256, 128, 10], seed: 42);
        var rng = new Random(7);
        var x = Vector<double>.Build.Dense(784, _ => rng.NextDouble());

        // J_N(x) = J_𝓢·W₃·D₂·W₂·D₁·W₁ (003 Thm 1.3; Props 2.2, 4.1, 2.1), kept as its structured factors.
        LinearMap j = net.InputJacobianMap(x);
        Console.WriteLine(string.Join(" · ", j.Structure));

        // J·v and u·J without forming J (forward and reverse mode): ⟨u, J·v⟩ = ⟨u·J, v⟩.
        var v = Vector<double>.Build.Dense(784, i => Math.Sin(i));
        var u = Vector<double>.Build.Dense(10, i => i + 1.0);
        double uJv = u.DotProduct(j.Jvp(v)), uJ_v = j.Vjp(u).DotProduct(v);

        // The matrix, multiplied out in the cheapest order (here from the output side, as 10 ≪ 784).
        Console.WriteLine(j.Plan());
        Matrix<double> jacobian = net.InputJacobian(x);                  // 10×784

        // A batch: per-sample Jacobians computed together, and the parameter Jacobian block by block (003 Props 4.2–4.3).
        var batch = Matrix<double>.Build.Dense(32, 784, (_, _) => rng.NextDouble());
        Matrix<double>[] perSample = net.InputJacobians(batch);          // 32 of 10×784
        Matrix<double> jTheta = net.ParameterJacobian(x);                // 10×|θ|

        // Per-sample gradients of the objective (the terms of 003 Def 5.2), their norms, and DP-SGD's clipped sum.
        var labels = Matrix<double>.Build.Dense(32, 10, (i, c) => c == i % 10 ? 1 : 0);
        var objective = new Objective(new CategoricalCrossEntropy(), Reduction.Sum);
        Vector<double> norms = objective.PerSampleGradientNorms(net, batch, labels);
        var (clipped, _) = objective.ClippedGradientSum(net, batch, labels, clip: 1.0);
        Console.WriteLine($"⟨u, J·v⟩ = {uJv:G6} = ⟨u·J, v⟩ = {uJ_v:G6}; ‖g_i‖ in [{norms.Minimum():G3}, {norms.Maximum():G3}]; ‖Σ clip(g_i)‖ = {clipped.Norm():G3}");
        // README jacobians end

        // Both sides evaluate u·F₁⋯F₆·vᵀ through the factors, in opposite orders. Each product with a factor of n columns is
        // a sum of n terms, off by at most n·ε relative to its absolute values (γ_n, first order), so each side is within
        // (Σ_i n_i)·ε·(|u|·|F₁|⋯|F₆|·|v|ᵀ) of the exact value, and the two differ by at most twice that.
        var abs = j.Factor(0).ToMatrix().PointwiseAbs(); // |F₁|⋯|F₆|
        int inner = j.Factor(0).Columns;
        for (int i = 1; i < j.FactorCount; i++)
        {
            abs *= j.Factor(i).ToMatrix().PointwiseAbs();
            inner += j.Factor(i).Columns;
        }
        double eps = 2 * Precision.DoublePrecision; // ε = 2^-52, twice MathNet's unit roundoff
        double bound = 2 * inner * eps * u.PointwiseAbs().DotProduct(abs * v.PointwiseAbs());
        Assert.True(Math.Abs(uJv - uJ_v) <= bound, $"{uJv} vs {uJ_v}, bound {bound}");
        Assert.Equal(6, j.FactorCount); // softmax, W₃, diag, W₂, diag, W₁
        Assert.Contains("softmax", j.Structure[0]);
        Assert.Equal((10, 784), (jacobian.RowCount, jacobian.ColumnCount));
        Assert.True(j.Plan().Cost <= j.Plan(JacobianOrder.FromInput).Cost, "Auto is the cheapest of the orders");
        Assert.True(j.Plan(JacobianOrder.FromOutput).Cost < j.Plan(JacobianOrder.FromInput).Cost, "a narrow output favours the output side");
        Assert.Equal(32, perSample.Length);
        var single = net.InputJacobian(batch.Row(5));
        // A batch's forward pass runs other kernels than one sample's (a packed product against dot products), so the two
        // differ by rounding: each is within inner·ε·(|F₁|⋯|F₆|) of the exact Jacobian at sample 5 (same bound as above,
        // its factors taken at sample 5; the ReLU masks agree unless a pre-activation lies within rounding of 0).
        var abs5 = net.InputJacobianMap(batch.Row(5));
        var a5 = abs5.Factor(0).ToMatrix().PointwiseAbs();
        for (int i = 1; i < abs5.FactorCount; i++) a5 *= abs5.Factor(i).ToMatrix().PointwiseAbs();
        for (int r = 0; r < 10; r++)
            for (int c = 0; c < 784; c++)
                Assert.True(Math.Abs(perSample[5][r, c] - single[r, c]) <= 2 * inner * eps * a5[r, c] + double.Epsilon,
                    $"sample 5, entry ({r}, {c}): batched {perSample[5][r, c]} vs one-sample {single[r, c]}");
        Assert.Equal((10, net.ParameterCount), (jTheta.RowCount, jTheta.ColumnCount));
        Assert.True(norms.Minimum() > 0);
        // Each clipped term has norm ≤ c = 1, so their sum has norm ≤ 32 (triangle inequality), and it cannot exceed the unclipped norms' sum.
        Assert.True(clipped.Norm() <= 32 + 1e-9 && clipped.Norm() <= norms.Sum() + 1e-9, clipped.Norm().ToString());
    }

    [Fact]
    public void README_shows_exactly_the_structured_jacobian_code_that_runs() =>
        ReadmeBlocks.AssertShows("jacobians-csharp", "tests/MathDnn.Tests/Jacobians/ReadmeJacobianExamples.cs", "jacobians");
}
