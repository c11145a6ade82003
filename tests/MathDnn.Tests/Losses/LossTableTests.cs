using MathDnn.Losses;
using static MathDnn.Tests.Approx;

namespace MathDnn.Tests.Losses;

/// <summary>
/// Hand-computed values and gradients of the twelve losses of the 004 loss table.
/// Raw-output losses use o = (0.5, −1, 2), y = e₁ (one-hot, index 1) or the ±1 point below.
/// Probability losses use o = (0, ln 2, ln 5), whose softmax is σ = (1, 2, 5)/8 = (1/8, 1/4, 5/8) exactly, and y = e₁
/// (true class k = 1, σ_k = 1/4).
/// </summary>
public class LossTableTests
{
    // Raw-output hand values are sums of a few exact binary fractions: the only error is the final rounding.
    private const double Exact = 1e-15;
    // σ(o) at o = (0, ln 2, ln 5) carries ≤ 5 roundings per entry (log, shift, exp, sum, divide): relative ≤ 5ε ≈ 1.1e-15;
    // the losses combine ≤ 3 such O(1) terms with coefficients ≤ 4, so 1e-14 covers it with margin.
    private const double Softmaxed = 1e-14;

    private static readonly double[] RawO = [0.5, -1, 2];
    private static readonly double[] OneHot1 = [0, 1, 0];
    private static readonly double[] ProbO = [0, Math.Log(2), Math.Log(5)];

    private static double Value(Loss loss, double[] o, double[] y) => loss.Value(V(o), V(y));
    private static MathNet.Numerics.LinearAlgebra.Vector<double> Grad(Loss loss, double[] o, double[] y) => loss.Gradient(V(o), V(y));

    [Fact]
    public void L1_loss_004_loss_table_hand_value_and_sign_gradient()
    {
        // ‖y − o‖₁ = |0 − 0.5| + |1 + 1| + |0 − 2| = 0.5 + 2 + 2 = 4.5; ∇ = sign(o − y) = sign(0.5, −2, 2) = (1, −1, 1)
        Assert.Equal(4.5, Value(new L1Loss(), RawO, OneHot1), Exact);
        Equal([1, -1, 1], Grad(new L1Loss(), RawO, OneHot1), 0);
    }

    [Fact]
    public void L1_loss_004_loss_table_subgradient_at_the_kink_is_sign_0_equals_0()
    {
        // o = (0, 1, 0.25), y = e₁: o − y = (0, 0, 0.25) → sign = (0, 0, 1); value 0.25
        Assert.Equal(0.25, Value(new L1Loss(), [0, 1, 0.25], OneHot1), Exact);
        Equal([0, 0, 1], Grad(new L1Loss(), [0, 1, 0.25], OneHot1), 0);
    }

    [Fact]
    public void L2_loss_004_loss_table_hand_value_and_gradient()
    {
        // ‖y − o‖₂² = 0.5² + 2² + 2² = 0.25 + 4 + 4 = 8.25; ∇ = 2(o − y) = 2(0.5, −2, 2) = (1, −4, 4)
        Assert.Equal(8.25, Value(new L2Loss(), RawO, OneHot1), Exact);
        Equal([1, -4, 4], Grad(new L2Loss(), RawO, OneHot1), Exact);
    }

    [Fact]
    public void Expectation_loss_004_loss_table_hand_value_and_gradient()
    {
        // ‖y − σ‖₁ = 1/8 + 3/4 + 5/8 = 1.5 (= 2(1 − σ_k));
        // u = sign(σ − y) = (1, −1, 1), ⟨u,σ⟩ = 1/8 − 1/4 + 5/8 = 1/2, ∇ = σ ⊙ (u − 1/2) = (1/8·1/2, 1/4·(−3/2), 5/8·1/2)
        //   = (1/16, −3/8, 5/16)
        Assert.Equal(1.5, Value(new ExpectationLoss(), ProbO, OneHot1), Softmaxed);
        Equal([1.0 / 16, -3.0 / 8, 5.0 / 16], Grad(new ExpectationLoss(), ProbO, OneHot1), Softmaxed);
    }

    [Fact]
    public void Regularised_expectation_loss_004_loss_table_hand_value_and_gradient()
    {
        // ‖y − σ‖₂² = (1/8)² + (3/4)² + (5/8)² = (1 + 36 + 25)/64 = 62/64 = 0.96875;
        // u = 2(σ − y) = (1/4, −3/2, 5/4), ⟨u,σ⟩ = 1/32 − 3/8 + 25/32 = 14/32 = 7/16,
        // ∇ = σ ⊙ (u − 7/16) = (1/8·(−3/16), 1/4·(−31/16), 5/8·(13/16)) = (−3/128, −31/64, 65/128)
        Assert.Equal(0.96875, Value(new RegularisedExpectationLoss(), ProbO, OneHot1), Softmaxed);
        Equal([-3.0 / 128, -31.0 / 64, 65.0 / 128], Grad(new RegularisedExpectationLoss(), ProbO, OneHot1), Softmaxed);
    }

    [Fact]
    public void Chebyshev_loss_004_loss_table_hand_value_and_gradient()
    {
        // |σ − y| = (1/8, 3/4, 5/8): the maximum 3/4 is at j* = 1 with sign(σ₁ − 1) = −1;
        // ∇ = −σ₁(e₁ − σ) = −1/4·(−1/8, 3/4, −5/8) = (1/32, −3/16, 5/32)
        Assert.Equal(0.75, Value(new ChebyshevLoss(), ProbO, OneHot1), Softmaxed);
        Equal([1.0 / 32, -3.0 / 16, 5.0 / 32], Grad(new ChebyshevLoss(), ProbO, OneHot1), Softmaxed);
    }

    [Fact]
    public void Chebyshev_loss_004_loss_table_tie_takes_the_lowest_index()
    {
        // o = (ln 2, ln 2, 0): σ = (2, 2, 1)/5 with σ₀ and σ₁ computed identically. Against y = 0 (the span kernel,
        // which does not validate the encoding) |σ − y| = σ ties at j = 0 and 1; the lowest index 0 gives
        // ∇ = +σ₀(e₀ − σ) = 2/5·(3/5, −2/5, −1/5) = (6/25, −4/25, −2/25); index 1 would give (−4/25, 6/25, −2/25).
        var g = new double[3];
        new ChebyshevLoss().Gradient([Math.Log(2), Math.Log(2), 0], [0, 0, 0], g);
        Equal([6.0 / 25, -4.0 / 25, -2.0 / 25], V(g), Softmaxed);
    }

    [Fact]
    public void Chebyshev_loss_004_loss_table_two_class_tie_has_one_gradient()
    {
        // m = 2, o = (0, 0), y = e₀: |σ − y| = (1/2, 1/2) tie → j* = 0, sign(1/2 − 1) = −1,
        // ∇ = −σ₀(e₀ − σ) = −1/2·(1/2, −1/2) = (−1/4, 1/4); j* = 1 gives +σ₁(e₁ − σ) = (−1/4, 1/4), the same.
        Assert.Equal(0.5, Value(new ChebyshevLoss(), [0, 0], [1, 0]), Exact);
        Equal([-0.25, 0.25], Grad(new ChebyshevLoss(), [0, 0], [1, 0]), Exact);
    }

    // ±1 point: o = (2, −0.25, 0.5, −1), ŷ = (1, 1, −1, −1): t = ½ − ŷ⊙o = (−1.5, 0.75, 1, −0.5), t⁺ = (0, 0.75, 1, 0).
    private static readonly double[] HingeO = [2, -0.25, 0.5, -1];
    private static readonly double[] HingeY = [1, 1, -1, -1];

    [Fact]
    public void Hinge_loss_004_loss_table_hand_value_and_gradient()
    {
        // Σ t⁺ = 0.75 + 1 = 1.75; ∇_j = −ŷ_j where t_j > 0: (0, −1, 1, 0)
        Assert.Equal(1.75, Value(new HingeLoss(), HingeO, HingeY), Exact);
        Equal([0, -1, 1, 0], Grad(new HingeLoss(), HingeO, HingeY), 0);
    }

    [Fact]
    public void Squared_hinge_loss_004_loss_table_hand_value_and_gradient()
    {
        // Σ (t⁺)² = 0.5625 + 1 = 1.5625; ∇ = −2ŷ⊙t⁺ = (0, −1.5, 2, 0)
        Assert.Equal(1.5625, Value(new SquaredHingeLoss(), HingeO, HingeY), Exact);
        Equal([0, -1.5, 2, 0], Grad(new SquaredHingeLoss(), HingeO, HingeY), Exact);
    }

    [Fact]
    public void Cubed_hinge_loss_004_loss_table_hand_value_and_gradient()
    {
        // Σ (t⁺)³ = 0.421875 + 1 = 1.421875; ∇ = −3ŷ⊙(t⁺)² = (0, −3·0.5625, 3·1, 0) = (0, −1.6875, 3, 0)
        Assert.Equal(1.421875, Value(new CubedHingeLoss(), HingeO, HingeY), Exact);
        Equal([0, -1.6875, 3, 0], Grad(new CubedHingeLoss(), HingeO, HingeY), Exact);
    }

    [Fact]
    public void Hinge_losses_004_loss_table_subgradient_at_the_kink_is_0()
    {
        // o = (0.5, −0.5), ŷ = (1, −1): t = ½ − ŷ⊙o = (0, 0) — every entry on the kink: value 0 and gradient 0.
        foreach (Loss loss in new Loss[] { new HingeLoss(), new SquaredHingeLoss(), new CubedHingeLoss() })
        {
            Assert.Equal(0.0, Value(loss, [0.5, -0.5], [1, -1]));
            Equal([0, 0], Grad(loss, [0.5, -0.5], [1, -1]), 0);
        }
    }

    [Fact]
    public void Log_loss_004_loss_table_hand_value_and_gradient()
    {
        // −log σ_k = −log(1/4) = ln 4; ∇ = σ − y = (1/8, −3/4, 5/8) (003 Prop 5.3)
        Assert.Equal(Math.Log(4), Value(new LogLoss(), ProbO, OneHot1), Softmaxed);
        Equal([1.0 / 8, -3.0 / 4, 5.0 / 8], Grad(new LogLoss(), ProbO, OneHot1), Softmaxed);
    }

    [Fact]
    public void Squared_log_loss_004_loss_table_hand_value_and_gradient_with_the_sign_slip_corrected()
    {
        // Σ [y_j log σ_j]² = (log 1/4)² = (ln 4)² > 0 (the table's leading minus is a slip);
        // ∇_i = 2y_i² log σ_i − 2σ_i Σ_j y_j² log σ_j = 2(−ln 4)e₁ + 2 ln 4·σ = 2 ln 4·(σ − e₁) = 2 ln 4·(1/8, −3/4, 5/8)
        double ln4 = Math.Log(4);
        Assert.Equal(ln4 * ln4, Value(new SquaredLogLoss(), ProbO, OneHot1), Softmaxed);
        Equal([2 * ln4 / 8, -2 * ln4 * 3 / 4, 2 * ln4 * 5 / 8], Grad(new SquaredLogLoss(), ProbO, OneHot1), Softmaxed);
        // The corrected loss decreases as the true-class probability rises: o₁ = ln 6 gives σ₁ = 6/12 = 1/2, (ln 2)² < (ln 4)².
        Assert.True(Value(new SquaredLogLoss(), [0, Math.Log(6), Math.Log(5)], OneHot1) < ln4 * ln4);
    }

    [Fact]
    public void Tanimoto_loss_004_loss_table_hand_value_and_gradient()
    {
        // P = ⟨σ,y⟩ = 1/4, Q = ‖σ‖² = (1 + 4 + 25)/64 = 15/32, Y = 1, D = Q + Y − P = 15/32 + 24/32 = 39/32;
        // value −P/D = −(1/4)(32/39) = −8/39.
        // u_j = (2Pσ_j − (Q + Y)y_j)/D² with 2P = 1/2, Q + Y = 47/32, D² = 1521/1024:
        //   u = (1/16, 1/8 − 47/32, 5/16)·1024/1521 = (2, −43, 10)·32/1521;
        // ⟨u,σ⟩ = 32/1521·(2/8 − 43/4 + 50/8) = 32/1521·(−17/4) = −136/1521;
        // u − ⟨u,σ⟩ = (64 + 136, −1376 + 136, 320 + 136)/1521 = (200, −1240, 456)/1521;
        // ∇ = σ ⊙ that = (200/8, −1240/4, 456·5/8)/1521 = (25, −310, 285)/1521 (sums to 0, as u·J_σ must).
        Assert.Equal(-8.0 / 39, Value(new TanimotoLoss(), ProbO, OneHot1), Softmaxed);
        Equal([25.0 / 1521, -310.0 / 1521, 285.0 / 1521], Grad(new TanimotoLoss(), ProbO, OneHot1), Softmaxed);
    }

    [Fact]
    public void Cauchy_Schwarz_divergence_004_loss_table_hand_value_and_gradient()
    {
        // −log(P/(‖σ‖‖y‖)) = −log(1/4) + ½ log(15/32) − log 1 = ln 4 + ½ ln(15/32);
        // ∇ = σ²/Q − e_k = (1, 4, 25)/64·32/15 − e₁ = (1/30, 2/15 − 1, 5/6) = (1/30, −13/15, 5/6)
        Assert.Equal(Math.Log(4) + 0.5 * Math.Log(15.0 / 32), Value(new CauchySchwarzDivergence(), ProbO, OneHot1), Softmaxed);
        Equal([1.0 / 30, -13.0 / 15, 5.0 / 6], Grad(new CauchySchwarzDivergence(), ProbO, OneHot1), Softmaxed);
    }

    [Fact]
    public void Expectation_losses_004_loss_table_keep_their_relative_accuracy_when_the_softmax_saturates()
    {
        // o = (40, 0, 0), y = e₀: σ₁ = σ₂ = a = e^{−40}/(1 + 2e^{−40}) ≈ 2.1e-18 and σ₀ = 1 − 2a rounds to 1, so 1 − σ₀
        // computed by subtraction is 0. Evaluated as σ₁ + σ₂ = 2a: expectation = 2a + a + a = 4a; regularised
        // expectation = (2a)² + a² + a² = 6a²; Chebyshev = max(2a, a, a) = 2a. Relative error: a few ε (≤ 4e-15).
        double a = Math.Exp(-40) / (1 + 2 * Math.Exp(-40));
        double[] o = [40, 0, 0], y = [1, 0, 0];
        Assert.Equal(1.0, 4 * a / Value(new ExpectationLoss(), o, y), 4e-15);
        Assert.Equal(1.0, 6 * a * a / Value(new RegularisedExpectationLoss(), o, y), 4e-15);
        Assert.Equal(1.0, 2 * a / Value(new ChebyshevLoss(), o, y), 4e-15);
    }

    [Fact]
    public void Probability_losses_004_loss_table_are_finite_at_logits_of_1000()
    {
        // o = (1000, −1000, 0), y = e₁: σ = (1, 0, 0) to double precision and log σ₁ = −1000 − 1000 = −2000 exactly.
        // log loss = 2000; squared log = 2000² = 4e6; Cauchy–Schwarz = −log σ₁ + ½ log ‖σ‖² = 2000 + ½ log 1 = 2000.
        double[] o = [1000, -1000, 0];
        Assert.Equal(2000, Value(new LogLoss(), o, OneHot1));
        Assert.Equal(4e6, Value(new SquaredLogLoss(), o, OneHot1));
        Assert.Equal(2000, Value(new CauchySchwarzDivergence(), o, OneHot1));
        foreach (var loss in LossCatalogue.All.Where(l => l.Encoding == TargetEncoding.OneHot && l is not CategoricalCrossEntropy))
        {
            Assert.True(double.IsFinite(Value(loss, o, OneHot1)), loss.Name);
            Assert.All(Grad(loss, o, OneHot1), g => Assert.True(double.IsFinite(g), loss.Name));
        }
    }
}
