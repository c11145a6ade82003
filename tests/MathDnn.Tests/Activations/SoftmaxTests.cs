using MathDnn.Activations;
using static MathDnn.Tests.Approx;

namespace MathDnn.Tests.Activations;

/// <summary>Softmax (003 Def 2.2) and its Jacobian (003 Prop 2.2) at hand points.</summary>
public class SoftmaxTests
{
    // Entries of 𝓢 at hand points carry ≤ 5 roundings (log, shift, exp, sum, divide): ≤ 5ε ≈ 1.1e-15 on values ≤ 1.
    private const double Tol = 2e-15;

    [Fact]
    public void Softmax_003_Def_2_2_hand_value()
    {
        // z = (0, ln 2, ln 5): e^z = (1, 2, 5), Σ = 8 → (1/8, 1/4, 5/8)
        Equal([0.125, 0.25, 0.625], new Softmax().Apply(V(0, Math.Log(2), Math.Log(5))), Tol);
    }

    [Fact]
    public void Softmax_003_Def_2_2_of_1000_minus_1000_0_is_finite_and_accurate()
    {
        // Shifted by max = 1000: e^{(0, −2000, −1000)} = (1, 0, 0) in double, Σ = 1 → (1, 0, 0), the nearest doubles to
        // the exact (1 − ~e^{−1000}, ~e^{−2000}, ~e^{−1000}). Unshifted, e^{1000} = ∞ and ∞/∞ = NaN.
        Equal([1, 0, 0], new Softmax().Apply(V(1000, -1000, 0)), 0);
        // A shift that keeps every term: (1000, 1000 + ln 3) → (¼, ¾); the error is that of 1000 + ln 3 (ulp(1000) ≈ 1.1e-13)
        // propagated with factor σ(1 − σ) = 3/16: ≤ 3e-14.
        Equal([0.25, 0.75], new Softmax().Apply(V(1000, 1000 + Math.Log(3))), 3e-14);
    }

    [Fact]
    public void Softmax_2x2_Jacobian_by_hand_003_Prop_2_2()
    {
        // z = (0, ln 3): 𝓢 = (¼, ¾); J = [[𝓢₁(1 − 𝓢₁), −𝓢₁𝓢₂], [−𝓢₂𝓢₁, 𝓢₂(1 − 𝓢₂)]] = [[3/16, −3/16], [−3/16, 3/16]]
        var j = new Softmax().Jacobian(V(0, Math.Log(3)));
        Equal(new double[,] { { 3.0 / 16, -3.0 / 16 }, { -3.0 / 16, 3.0 / 16 } }, j, Tol);
        Assert.Equal(j, j.Transpose());
        Assert.Equal(0, j[0, 0] + j[0, 1], Tol);
        Assert.Equal(0, j[1, 0] + j[1, 1], Tol);
    }

    [Fact]
    public void Softmax_3x3_Jacobian_003_Prop_2_2_is_symmetric_with_rows_summing_to_0()
    {
        // z = (0, ln 2, ln 5): 𝓢 = (1, 2, 5)/8; J = diag(𝓢) − 𝓢ᵀ𝓢 = (8·diag(1, 2, 5) − (1, 2, 5)ᵀ(1, 2, 5))/64
        //   = [[8 − 1, −2, −5], [−2, 16 − 4, −10], [−5, −10, 40 − 25]]/64
        var j = new Softmax().Jacobian(V(0, Math.Log(2), Math.Log(5)));
        Equal(new double[,] { { 7.0 / 64, -2.0 / 64, -5.0 / 64 }, { -2.0 / 64, 12.0 / 64, -10.0 / 64 }, { -5.0 / 64, -10.0 / 64, 15.0 / 64 } }, j, Tol);
        for (int r = 0; r < 3; r++)
        {
            Assert.Equal(0, j.Row(r).Sum(), Tol);
            for (int c = 0; c < 3; c++) Assert.Equal(j[r, c], j[c, r]);
        }
    }

    [Fact]
    public void Softmax_backward_equals_u_times_J_003_Prop_2_2()
    {
        // z = (0, ln 3), u = (1, 2): u·J = (3/16 − 6/16, −3/16 + 6/16) = (−3/16, 3/16);
        // and s ⊙ (u − ⟨u,s⟩) with ⟨u,s⟩ = ¼ + 3/2 = 7/4: (¼·(−¾), ¾·¼) = (−3/16, 3/16)
        var f = new Softmax();
        var z = V(0, Math.Log(3));
        var u = V(1, 2);
        Equal([-3.0 / 16, 3.0 / 16], f.Backward(z, u), Tol);
        Equal([-3.0 / 16, 3.0 / 16], f.Jacobian(z).LeftMultiply(u), Tol);
        // 3 classes, u = (1, 0, −1): u·J = row 0 − row 2 = (7 + 5, −2 + 10, −5 − 15)/64 = (12, 8, −20)/64
        Equal([12.0 / 64, 8.0 / 64, -20.0 / 64], f.Backward(V(0, Math.Log(2), Math.Log(5)), V(1, 0, -1)), Tol);
    }

    [Fact]
    public void Softmax_of_a_batch_acts_on_each_row()
    {
        // rows (0, ln 3) → (¼, ¾) and (ln 3, 0) → (¾, ¼)
        var y = new Softmax().Apply(M(new double[,] { { 0, Math.Log(3) }, { Math.Log(3), 0 } }));
        Equal(new double[,] { { 0.25, 0.75 }, { 0.75, 0.25 } }, y, Tol);
    }

    [Fact]
    public void Log_sum_exp_is_finite_at_1000()
    {
        // log(e^{1000} + e^{1000}) = 1000 + ln 2 (to the ulp of 1000 ≈ 1.1e-13)
        Assert.Equal(1000 + Math.Log(2), Softmax.LogSumExp([1000, 1000]), 2e-13);
        Assert.Equal(1000, Softmax.LogSumExp([1000, -1000, 0]));
    }
}
