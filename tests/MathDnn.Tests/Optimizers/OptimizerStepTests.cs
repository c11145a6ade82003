using MathDnn.Optimizers;
using static MathDnn.Tests.Optimizers.TwoParameters;

namespace MathDnn.Tests.Optimizers;

/// <summary>The first two steps of every optimizer on f(θ) = ½(θ₁² + 4θ₂²) from θ₀ = (1, 1), computed by hand.</summary>
public class OptimizerStepTests
{
    [Fact]
    public void Gradient_descent_004_Algorithm_8_1_first_two_steps()
    {
        var (t1, t2, s1, s2) = TwoSteps(new GradientDescent(0.1));
        Close(t1, 0.9, 0.6);   // θ₁ = (1, 1) − 0.1·(1, 4)
        Close(t2, 0.81, 0.36); // g₁ = (0.9, 2.4); θ₂ = (0.9 − 0.09, 0.6 − 0.24)
        Assert.Equal(1, s1.Count);
        Assert.Equal(2, s2.Count);
        Assert.Empty(s2.Buffers);
    }

    [Fact]
    public void Gradient_descent_with_inverse_time_decay_uses_eta_0_then_eta_1()
    {
        // η_t = 0.1/(1 + t): η₀ = 0.1, η₁ = 0.05.
        var (t1, t2, _, _) = TwoSteps(new GradientDescent(new InverseTimeDecay(0.1, 1)));
        Close(t1, 0.9, 0.6);    // θ₁ = (1, 1) − 0.1·(1, 4)
        Close(t2, 0.855, 0.48); // θ₂ = (0.9, 0.6) − 0.05·(0.9, 2.4) = (0.9 − 0.045, 0.6 − 0.12)
    }

    [Theory]
    [InlineData(MomentumConvention.PyTorch)]
    [InlineData(MomentumConvention.Sutskever)]
    public void Momentum_002_Section_7_4_first_two_steps_in_both_conventions(MomentumConvention convention)
    {
        var opt = new Momentum(0.1, mu: 0.5, convention: convention);
        var (t1, t2, s1, s2) = TwoSteps(opt);
        Close(t1, 0.9, 0.6); // first step is a gradient step: b₁ = g₀ = (1, 4), θ₁ = θ₀ − 0.1·b₁
        // g₁ = (0.9, 2.4); PyTorch b₂ = 0.5·(1, 4) + (0.9, 2.4) = (1.4, 4.4), θ₂ = θ₁ − 0.1·b₂ = (0.9 − 0.14, 0.6 − 0.44).
        // Sutskever v₁ = −0.1·(1, 4), v₂ = 0.5·v₁ − 0.1·g₁ = (−0.05 − 0.09, −0.2 − 0.24) = (−0.14, −0.44): the same θ₂.
        Close(t2, 0.76, 0.16);
        if (convention == MomentumConvention.PyTorch)
        {
            Close(s1["b"], 1, 4);
            Close(s2["b"], 1.4, 4.4);
        }
        else
        {
            Close(s1["v"], -0.1, -0.4);
            Close(s2["v"], -0.14, -0.44);
        }
        Assert.Equal(2, s2.Count);
    }

    [Theory]
    [InlineData(MomentumConvention.PyTorch)]
    [InlineData(MomentumConvention.Sutskever)]
    public void Nesterov_momentum_first_two_steps_in_both_conventions(MomentumConvention convention)
    {
        var (t1, t2, _, _) = TwoSteps(new Momentum(0.1, mu: 0.5, convention: convention, nesterov: true));
        // PyTorch: b₁ = (1, 4), θ₁ = θ₀ − 0.1·(g₀ + 0.5·b₁) = (1 − 0.15, 1 − 0.6).
        // Sutskever: v₁ = (−0.1, −0.4), θ₁ = θ₀ + 0.5·v₁ − 0.1·g₀ = (1 − 0.05 − 0.1, 1 − 0.2 − 0.4).
        Close(t1, 0.85, 0.4);
        // g₁ = (0.85, 1.6). PyTorch: b₂ = (0.5 + 0.85, 2 + 1.6) = (1.35, 3.6), d = g₁ + 0.5·b₂ = (1.525, 3.4), θ₂ = θ₁ − 0.1·d.
        // Sutskever: v₂ = 0.5·v₁ − 0.1·g₁ = (−0.135, −0.36), θ₂ = θ₁ + 0.5·v₂ − 0.1·g₁ = θ₁ + (−0.0675 − 0.085, −0.18 − 0.16).
        Close(t2, 0.6975, 0.06);
    }

    [Fact]
    public void Momentum_conventions_differ_once_the_learning_rate_changes()
    {
        // η_t = 0.1/(1 + t) (003's "decay" 1): η₀ = 0.1, η₁ = 0.05; μ = 0.5. Both first steps give θ₁ = (0.9, 0.6), g₁ = (0.9, 2.4).
        var (_, pyTorch, _, _) = TwoSteps(new Momentum(new InverseTimeDecay(0.1, 1), 0.5, MomentumConvention.PyTorch));
        var (_, sutskever, _, _) = TwoSteps(new Momentum(new InverseTimeDecay(0.1, 1), 0.5, MomentumConvention.Sutskever));
        // PyTorch: b₂ = (1.4, 4.4), θ₂ = θ₁ − 0.05·b₂ = (0.9 − 0.07, 0.6 − 0.22): the old gradient is rescaled by the new η₁.
        Close(pyTorch, 0.83, 0.38);
        // Sutskever: v₂ = 0.5·(−0.1, −0.4) − 0.05·(0.9, 2.4) = (−0.095, −0.32): the old gradient keeps its η₀.
        Close(sutskever, 0.805, 0.28);
        // The gap is μ·(η₀ − η₁)·g₀ = 0.5·0.05·(1, 4) = (0.025, 0.1).
        Close(pyTorch - sutskever, 0.025, 0.1);
    }

    [Fact]
    public void Momentum_003_abstract_Keras_SGD_with_decay_and_momentum_is_the_Sutskever_convention()
    {
        Assert.Equal(new Momentum(new InverseTimeDecay(0.1, 1), 0.5, MomentumConvention.Sutskever), Optim.KerasSgd(0.1, 0.5, 1));
        var (_, t2, _, _) = TwoSteps(Optim.KerasSgd(0.1, 0.5, 1));
        Close(t2, 0.805, 0.28); // as the Sutskever case above
    }

    [Fact]
    public void RmsProp_002_eqs_8_to_10_with_epsilon_inside_the_root()
    {
        // η = 0.1, β = 0.9, ε = 0.01 (large, so that its placement shows).
        var (t1, t2, s1, _) = TwoSteps(new RmsProp(0.1, 0.9, 0.01));
        // v₁ = 0.1·g₀² = (0.1, 1.6); θ₁ = 1 − 0.1·(1/√0.11, 4/√1.61) ≈ (0.698489, 0.684756).
        Close(s1["v"], 0.1, 1.6);
        double a = 1 - 0.1 * 1 / Math.Sqrt(0.1 + 0.01), b = 1 - 0.1 * 4 / Math.Sqrt(1.6 + 0.01);
        Close(t1, a, b);
        // g₁ = (a, 4b) ≈ (0.698489, 2.739023); v₂ = 0.9·v₁ + 0.1·g₁² ≈ (0.138789, 2.190225); θ₂ = θ₁ − 0.1·g₁/√(v₂ + 0.01) ≈ (0.517407, 0.500100).
        double v1 = 0.9 * 0.1 + 0.1 * a * a, v2 = 0.9 * 1.6 + 0.1 * (4 * b) * (4 * b);
        Close(t2, a - 0.1 * a / Math.Sqrt(v1 + 0.01), b - 0.1 * 4 * b / Math.Sqrt(v2 + 0.01));
        Assert.Equal(0.517407, t2[0], 6);
    }

    [Fact]
    public void RmsProp_with_epsilon_outside_the_root_as_PyTorch_and_Keras()
    {
        var (t1, t2, _, _) = TwoSteps(new RmsProp(0.1, 0.9, 0.01, EpsilonPlacement.OutsideRoot));
        // θ₁ = 1 − 0.1·(1/(√0.1 + 0.01), 4/(√1.6 + 0.01)) ≈ (0.693466, 0.686253): not the inside-root (0.698489, 0.684756).
        double a = 1 - 0.1 * 1 / (Math.Sqrt(0.1) + 0.01), b = 1 - 0.1 * 4 / (Math.Sqrt(1.6) + 0.01);
        Close(t1, a, b);
        Assert.Equal(0.693466, t1[0], 6);
        double v1 = 0.9 * 0.1 + 0.1 * a * a, v2 = 0.9 * 1.6 + 0.1 * (4 * b) * (4 * b);
        Close(t2, a - 0.1 * a / (Math.Sqrt(v1) + 0.01), b - 0.1 * 4 * b / (Math.Sqrt(v2) + 0.01)); // ≈ (0.511742, 0.502153)
    }

    [Fact]
    public void Adam_Kingma_Ba_first_two_steps_with_bias_correction()
    {
        const double eps = 1e-8;
        var (t1, t2, s1, s2) = TwoSteps(new Adam(0.1));
        // m₁ = 0.1·g₀ = (0.1, 0.4), v₁ = 0.001·g₀² = (0.001, 0.016); m̂₁ = g₀, v̂₁ = g₀²; θ₁ = θ₀ − 0.1·g₀/(|g₀| + ε) ≈ (0.9, 0.9).
        Close(s1["m"], 0.1, 0.4);
        Close(s1["v"], 0.001, 0.016);
        double a = 1 - 0.1 * 1 / (1 + eps), b = 1 - 0.1 * 4 / (4 + eps);
        Close(t1, a, b);
        // g₁ = (a, 4b) ≈ (0.9, 3.6); m₂ = 0.9·0.1·g₀ + 0.1·g₁ ≈ (0.18, 0.72); v₂ = 0.999·0.001·g₀² + 0.001·g₁² ≈ (0.001809, 0.028944).
        double m1 = 0.9 * 0.1 * 1 + 0.1 * a, m2 = 0.9 * 0.1 * 4 + 0.1 * 4 * b;
        double v1 = 0.999 * 0.001 * 1 + 0.001 * a * a, v2 = 0.999 * 0.001 * 16 + 0.001 * (4 * b) * (4 * b);
        Close(s2["m"], m1, m2);
        Close(s2["v"], v1, v2);
        // m̂₂ = m₂/(1 − 0.9²) = m₂/0.19 ≈ (0.947368, 3.789474); v̂₂ = v₂/(1 − 0.999²) = v₂/0.001999 ≈ (0.904952, 14.479240).
        double c1 = 1 - 0.9 * 0.9, c2 = 1 - 0.999 * 0.999;
        Close(t2, a - 0.1 * (m1 / c1) / (Math.Sqrt(v1 / c2) + eps), b - 0.1 * (m2 / c1) / (Math.Sqrt(v2 / c2) + eps));
        Assert.Equal(0.800412, t2[0], 6); // ≈ θ₁ − 0.1·0.947368/0.951290
    }

    [Fact]
    public void Adam_without_bias_correction_uses_the_raw_moments()
    {
        const double eps = 1e-8;
        var (t1, t2, _, _) = TwoSteps(new Adam(0.1, biasCorrection: false));
        // θ₁ = θ₀ − 0.1·m₁/(√v₁ + ε) = 1 − 0.1·(0.1/√0.001, 0.4/√0.016) ≈ 1 − 0.1·3.162278 ≈ (0.683772, 0.683772).
        double a = 1 - 0.1 * 0.1 / (Math.Sqrt(0.001) + eps), b = 1 - 0.1 * 0.4 / (Math.Sqrt(0.016) + eps);
        Close(t1, a, b);
        double m1 = 0.9 * 0.1 * 1 + 0.1 * a, m2 = 0.9 * 0.1 * 4 + 0.1 * 4 * b;
        double v1 = 0.999 * 0.001 * 1 + 0.001 * a * a, v2 = 0.999 * 0.001 * 16 + 0.001 * (4 * b) * (4 * b);
        Close(t2, a - 0.1 * m1 / (Math.Sqrt(v1) + eps), b - 0.1 * m2 / (Math.Sqrt(v2) + eps)); // ≈ (0.270206, 0.270206)
        Assert.Equal(0.270206, t2[0], 6);
    }

    [Fact]
    public void AdamW_decays_the_weight_and_spares_the_bias_with_the_weights_only_mask()
    {
        const double eps = 1e-8;
        // θ = (W, b) = (1, 1), same f and gradients; η = 0.1, λ = 0.5, mask M = (1, 0).
        var theta0 = Parameters(WeightAndBias, 1, 1);
        var opt = new AdamW(0.1, weightDecay: 0.5, mask: AddDecayedWeights.WeightsOnly(WeightAndBias));
        var (t1, t2, _, _) = TwoSteps(opt, theta0);
        // θ₁ = θ₀ − 0.1·(g₀/(|g₀| + ε) + 0.5·M⊙θ₀) ≈ (1 − 0.1·(1 + 0.5), 1 − 0.1·1) = (0.85, 0.9).
        double a = 1 - 0.1 * (1 / (1 + eps) + 0.5 * 1), b = 1 - 0.1 * (4 / (4 + eps));
        Close(t1, a, b);
        // Second step: Adam's moments as above with g₁ = (a, 4b), plus 0.5·a on the weight only.
        double m1 = 0.9 * 0.1 * 1 + 0.1 * a, m2 = 0.9 * 0.1 * 4 + 0.1 * 4 * b;
        double v1 = 0.999 * 0.001 * 1 + 0.001 * a * a, v2 = 0.999 * 0.001 * 16 + 0.001 * (4 * b) * (4 * b);
        double c1 = 1 - 0.9 * 0.9, c2 = 1 - 0.999 * 0.999;
        Close(t2, a - 0.1 * ((m1 / c1) / (Math.Sqrt(v1 / c2) + eps) + 0.5 * a), b - 0.1 * (m2 / c1) / (Math.Sqrt(v2 / c2) + eps));
    }

    [Fact]
    public void AdamW_with_zero_decay_is_Adam()
    {
        var (_, adamW, _, _) = TwoSteps(new AdamW(0.1, weightDecay: 0));
        var (_, adam, _, _) = TwoSteps(new Adam(0.1));
        Assert.Equal(adam, adamW); // λ = 0 adds 0·θ = 0 to the direction: bit-identical
    }

    [Fact]
    public void AdaGrad_first_two_steps()
    {
        const double eps = 1e-10;
        var (t1, t2, s1, s2) = TwoSteps(new AdaGrad(0.1));
        // s₁ = g₀² = (1, 16); θ₁ = θ₀ − 0.1·(1/(1 + ε), 4/(4 + ε)) ≈ (0.9, 0.9).
        Close(s1["s"], 1, 16);
        double a = 1 - 0.1 * 1 / (1 + eps), b = 1 - 0.1 * 4 / (4 + eps);
        Close(t1, a, b);
        // g₁ = (a, 4b) ≈ (0.9, 3.6); s₂ = (1 + a², 16 + 16b²) ≈ (1.81, 28.96); θ₂ = θ₁ − 0.1·g₁/(√s₂ + ε) ≈ 0.9 − 0.09/1.345362 = 0.9 − 0.0668965 ≈ 0.8331035.
        Close(s2["s"], 1 + a * a, 16 + 16 * b * b);
        Close(t2, a - 0.1 * a / (Math.Sqrt(1 + a * a) + eps), b - 0.1 * 4 * b / (Math.Sqrt(16 + 16 * b * b) + eps));
        Assert.Equal(0.8331035, t2[0], 7);
    }

    [Fact]
    public void AdaGrad_initial_accumulator_fills_the_state()
    {
        var s0 = new AdaGrad(0.1, initialAccumulator: 0.5).Init(Theta0);
        Close(s0["s"], 0.5, 0.5);
        // θ₁ = 1 − 0.1·1/(√1.5 + 1e-10): the accumulator is s₀ + g₀² = (1.5, 16.5).
        var (t1, _) = new AdaGrad(0.1, initialAccumulator: 0.5).Step(Theta0, Gradient(Theta0), s0);
        Close(t1, 1 - 0.1 / (Math.Sqrt(1.5) + 1e-10), 1 - 0.4 / (Math.Sqrt(16.5) + 1e-10));
    }

    [Fact]
    public void Clip_by_global_norm_rescales_only_above_the_threshold()
    {
        var clip = new ClipByGlobalNorm(2);
        var s = clip.Init(Theta0);
        // ‖(3, 4)‖ = 5 > 2: u = (2/5)·(3, 4) = (1.2, 1.6), of norm 2.
        var (u, s1) = clip.Update(Theta(3, 4), s, Theta0);
        Close(u, 1.2, 1.6);
        Assert.Equal(1, s1.Count);
        // ‖(0.6, 0.8)‖ = 1 ≤ 2: unchanged.
        var (w, s2) = clip.Update(Theta(0.6, 0.8), s1, Theta0);
        Close(w, 0.6, 0.8);
        Assert.Equal(2, s2.Count);
    }

    [Fact]
    public void Add_decayed_weights_with_and_without_the_weights_only_mask()
    {
        var theta = Parameters(WeightAndBias, 2, 3);
        var g = Parameters(WeightAndBias, 1, 1);
        var masked = new AddDecayedWeights(0.5, AddDecayedWeights.WeightsOnly(WeightAndBias));
        var (u, _) = masked.Update(g, masked.Init(theta), theta);
        Close(u, 1 + 0.5 * 2, 1); // the bias b = 3 is spared
        var all = new AddDecayedWeights(0.5);
        var (w, _) = all.Update(g, all.Init(theta), theta);
        Close(w, 1 + 0.5 * 2, 1 + 0.5 * 3);
        Close(AddDecayedWeights.WeightsOnly(WeightAndBias), 1, 0);
    }

    [Fact]
    public void Scale_by_schedule_multiplies_by_eta_t()
    {
        var scale = new ScaleBySchedule(new InverseTimeDecay(1, 1)); // η_t = 1/(1 + t)
        var s0 = scale.Init(Theta0);
        var (u0, s1) = scale.Update(Theta(2, -4), s0, Theta0);
        var (u1, _) = scale.Update(Theta(2, -4), s1, Theta0);
        Close(u0, 2, -4);   // η₀ = 1
        Close(u1, 1, -2);   // η₁ = 1/2
    }

    [Fact]
    public void Chain_clip_then_gradient_descent()
    {
        var chain = Optimizer.Chain(new ClipByGlobalNorm(1), new GradientDescent(0.1));
        var s0 = chain.Init(Theta0);
        var (t1, s1) = chain.Step(Theta0, Theta(3, 4), s0);
        Close(t1, 1 - 0.1 * 0.6, 1 - 0.1 * 0.8); // (3, 4) clipped to (0.6, 0.8), then −0.1·
        Assert.Equal(1, s1.Count);
        Assert.All(s1.Inner, s => Assert.Equal(1, s.Count));
    }

    [Fact]
    public void A_learning_rate_in_front_of_the_Adam_direction_is_Adam()
    {
        // Adam at η = 1 returns −d exactly; 0.1·(−d) = −0.1·d bit for bit (negation and scaling by 1 are exact).
        var chained = Optimizer.Chain(new Adam(1), new ScaleBySchedule(0.1));
        var adam = new Adam(0.1);
        var (p, q) = (Theta0, Theta0);
        var (sp, sq) = (chained.Init(p), adam.Init(q));
        for (int k = 0; k < 3; k++)
        {
            (p, sp) = chained.Step(p, Gradient(p), sp);
            (q, sq) = adam.Step(q, Gradient(q), sq);
            Assert.Equal(q, p);
        }
    }

    [Fact]
    public void Decayed_weights_in_front_of_gradient_descent_shrink_the_weight_by_one_minus_eta_lambda()
    {
        // θ = (W, b) = (2, 3), g = (1, 1), λ = 0.5 on W only, η = 0.1: W ← (1 − 0.05)·2 − 0.1·1 = 1.8, b ← 3 − 0.1·1 = 2.9.
        var theta = Parameters(WeightAndBias, 2, 3);
        var chain = Optimizer.Chain(new AddDecayedWeights(0.5, AddDecayedWeights.WeightsOnly(WeightAndBias)), new GradientDescent(0.1));
        var (t1, _) = chain.Step(theta, Parameters(WeightAndBias, 1, 1), chain.Init(theta));
        Close(t1, 1.8, 2.9);
    }

    private static MathDnn.Networks.Parameters Parameters(MathDnn.Networks.ParameterLayout layout, params double[] x) =>
        MathDnn.Networks.Parameters.FromArray(layout, x);
}
