using MathDnn.Networks;
using MathDnn.Optimizers;
using static MathDnn.Tests.Optimizers.TwoParameters;

namespace MathDnn.Tests.Optimizers;

/// <summary>What every optimizer owes: count + 1, purity, determinism, and clear errors on bad input.</summary>
public class OptimizerContractTests
{
    public static TheoryData<string> Names => [.. All.Keys];

    private static readonly Dictionary<string, Optimizer> All = new()
    {
        ["sgd"] = new GradientDescent(new InverseTimeDecay(0.1, 0.5)),
        ["momentum-pytorch"] = new Momentum(0.1, 0.9, MomentumConvention.PyTorch),
        ["momentum-sutskever"] = new Momentum(0.1, 0.9, MomentumConvention.Sutskever),
        ["nesterov-pytorch"] = new Momentum(0.1, 0.9, MomentumConvention.PyTorch, nesterov: true),
        ["nesterov-sutskever"] = new Momentum(0.1, 0.9, MomentumConvention.Sutskever, nesterov: true),
        ["rmsprop-inside"] = new RmsProp(0.1),
        ["rmsprop-outside"] = new RmsProp(0.1, placement: EpsilonPlacement.OutsideRoot),
        ["adam"] = new Adam(0.1),
        ["adam-no-bias-correction"] = new Adam(0.1, biasCorrection: false),
        ["adamw"] = new AdamW(0.1, weightDecay: 0.1),
        ["adagrad"] = new AdaGrad(0.1, initialAccumulator: 0.1),
        ["clip"] = new ClipByGlobalNorm(1),
        ["decayed-weights"] = new AddDecayedWeights(0.1),
        ["scale-by-schedule"] = new ScaleBySchedule(new CosineDecay(0.1, 10)),
        ["chain"] = Optimizer.Chain(new ClipByGlobalNorm(1), new AddDecayedWeights(0.01), new Adam(1), new ScaleBySchedule(0.1)),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_update_returns_a_new_state_with_count_plus_one(string name)
    {
        var opt = All[name];
        var s = opt.Init(Theta0);
        Assert.Equal(0, s.Count);
        var theta = Theta0;
        for (int k = 1; k <= 3; k++)
        {
            (theta, s) = opt.Step(theta, Gradient(theta), s);
            Assert.Equal(k, s.Count);
            Assert.All(s.Inner, i => Assert.Equal(k, i.Count));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Steps_never_mutate_their_inputs(string name)
    {
        var opt = All[name];
        var theta = Theta(0.3, -0.7);
        var (t1, s1) = opt.Step(theta, Gradient(theta), opt.Init(theta)); // a state with non-zero buffers
        var g = Theta(-1.5, 2.5);
        double[] thetaBefore = t1.ToArray(), gBefore = g.ToArray();
        var buffersBefore = Snapshot(s1);
        long countBefore = s1.Count;

        opt.Step(t1, g, s1);
        opt.Update(g, s1, t1);

        Assert.Equal(thetaBefore, t1.ToArray());
        Assert.Equal(gBefore, g.ToArray());
        Assert.Equal(countBefore, s1.Count);
        Assert.Equal(buffersBefore, Snapshot(s1));
    }

    private static List<double[]> Snapshot(OptimizerState s) =>
        [.. s.Buffers.Values.Select(b => b.ToArray()), .. s.Inner.SelectMany(Snapshot)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Same_inputs_give_bit_identical_outputs(string name)
    {
        (Parameters, OptimizerState) Run()
        {
            var opt = All[name];
            var theta = Theta(0.3, -0.7);
            var s = opt.Init(theta);
            for (int k = 0; k < 5; k++) (theta, s) = opt.Step(theta, Gradient(theta), s);
            return (theta, s);
        }
        var (a, sa) = Run();
        var (b, sb) = Run();
        Assert.Equal(a, b);   // Parameters.Equals is bitwise
        Assert.Equal(sa, sb); // so is OptimizerState.Equals
    }

    // ---- errors ----

    private static readonly ParameterLayout Three = new([new ParameterBlock(0, "W", 1, 3, 0)]);

    [Theory]
    [MemberData(nameof(Names))]
    public void Mismatched_gradient_and_parameter_layouts_are_rejected_by_name(string name)
    {
        var opt = All[name];
        var ex = Assert.Throws<ArgumentException>(() => opt.Update(Parameters.Zeros(Three), opt.Init(Theta0), Theta0));
        Assert.Contains("layout [layer 0 W (1×3)]", ex.Message);
        Assert.Contains("layout [layer 0 W (1×2)]", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_non_finite_gradient_is_rejected_with_its_place(string name)
    {
        var opt = All[name];
        var ex = Assert.Throws<ArgumentException>(() => opt.Step(Theta0, Theta(1, double.NaN), opt.Init(Theta0)));
        Assert.Contains("NaN in layer 0 W (1×2) at row 0, column 1", ex.Message);
    }

    [Fact]
    public void A_state_made_for_other_parameters_is_rejected()
    {
        var big = Parameters.Zeros(Three);
        var ex = Assert.Throws<ArgumentException>(() => new Adam().Update(Parameters.Zeros(Three), new Adam().Init(Theta0), big));
        Assert.Contains("adam: the state's buffer \"m\" has layout [layer 0 W (1×2)] but the gradient has layout [layer 0 W (1×3)]", ex.Message);
    }

    [Fact]
    public void A_state_of_another_optimizer_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Adam().Update(Theta0, new GradientDescent().Init(Theta0), Theta0));
        Assert.Contains("adam: the state has no buffer \"m\"", ex.Message);
        var pyTorchState = new Momentum(0.1, 0.5, MomentumConvention.PyTorch).Init(Theta0);
        ex = Assert.Throws<ArgumentException>(() => new Momentum(0.1, 0.5, MomentumConvention.Sutskever).Update(Theta0, pyTorchState, Theta0));
        Assert.Contains("no buffer \"v\"", ex.Message);
    }

    [Fact]
    public void A_negative_count_is_rejected()
    {
        var s = new GradientDescent().Init(Theta0) with { Count = -1 };
        Assert.Contains("count is -1", Assert.Throws<ArgumentException>(() => new GradientDescent().Update(Theta0, s, Theta0)).Message);
    }

    [Fact]
    public void Negative_learning_rates_are_rejected()
    {
        Assert.Contains("learning rate η must be finite and ≥ 0, got -0.1", Assert.Throws<ArgumentException>(() => new GradientDescent(-0.1)).Message);
        Assert.Throws<ArgumentException>(() => new Momentum(-1.0));
        Assert.Throws<ArgumentException>(() => new RmsProp(-1.0));
        Assert.Throws<ArgumentException>(() => new Adam(-1.0));
        Assert.Throws<ArgumentException>(() => new AdamW(-1.0));
        Assert.Throws<ArgumentException>(() => new AdaGrad(-1.0));
        Assert.Throws<ArgumentException>(() => new ScaleBySchedule(-1.0));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Coefficients_outside_the_unit_interval_are_rejected(double bad)
    {
        string got = $"got {bad}";
        Assert.Contains($"Momentum: μ must be in [0, 1), {got}", Assert.Throws<ArgumentException>(() => new Momentum(0.1, bad)).Message);
        Assert.Contains($"RMSprop: β must be in [0, 1), {got}", Assert.Throws<ArgumentException>(() => new RmsProp(0.1, bad)).Message);
        Assert.Contains($"Adam: β₁ must be in [0, 1), {got}", Assert.Throws<ArgumentException>(() => new Adam(0.1, beta1: bad)).Message);
        Assert.Contains($"Adam: β₂ must be in [0, 1), {got}", Assert.Throws<ArgumentException>(() => new Adam(0.1, beta2: bad)).Message);
        Assert.Contains($"AdamW: β₁ must be in [0, 1), {got}", Assert.Throws<ArgumentException>(() => new AdamW(0.1, beta1: bad)).Message);
    }

    [Fact]
    public void Epsilons_and_norms_must_be_positive()
    {
        Assert.Contains("Adam: ε must be finite and > 0, got 0", Assert.Throws<ArgumentException>(() => new Adam(epsilon: 0)).Message);
        Assert.Contains("RMSprop: ε must be finite and > 0, got -1", Assert.Throws<ArgumentException>(() => new RmsProp(epsilon: -1)).Message);
        Assert.Contains("AdaGrad: ε must be finite and > 0", Assert.Throws<ArgumentException>(() => new AdaGrad(epsilon: 0)).Message);
        Assert.Contains("maximal norm c must be finite and > 0, got 0", Assert.Throws<ArgumentException>(() => new ClipByGlobalNorm(0)).Message);
        Assert.Contains("weight decay λ must be finite and ≥ 0, got -1", Assert.Throws<ArgumentException>(() => new AddDecayedWeights(-1)).Message);
        Assert.Contains("initial accumulator s₀ must be finite and ≥ 0", Assert.Throws<ArgumentException>(() => new AdaGrad(initialAccumulator: -1)).Message);
    }

    [Fact]
    public void Masks_hold_zeros_and_ones_and_match_the_parameters()
    {
        var half = Parameters.FromArray(Layout, [0.5, 1]);
        Assert.Contains("mask holds 0s and 1s, but layer 0 W (1×2) has 0.5 at row 0, column 0",
            Assert.Throws<ArgumentException>(() => new AddDecayedWeights(0.1, half)).Message);
        var other = new AddDecayedWeights(0.1, AddDecayedWeights.WeightsOnly(Three));
        Assert.Contains("the mask has layout [layer 0 W (1×3)]",
            Assert.Throws<ArgumentException>(() => other.Update(Theta0, other.Init(Theta0), Theta0)).Message);
        var adamW = new AdamW(mask: AddDecayedWeights.WeightsOnly(Three));
        Assert.Contains("adamw: the mask has layout",
            Assert.Throws<ArgumentException>(() => adamW.Update(Theta0, adamW.Init(Theta0), Theta0)).Message);
    }

    [Fact]
    public void Optimizers_are_values_with_the_documented_defaults()
    {
        var adam = new Adam();
        Assert.Equal((0.9, 0.999, 1e-8, true), (adam.Beta1, adam.Beta2, adam.Epsilon, adam.BiasCorrection)); // PyTorch's Adam
        Assert.Equal(new ConstantSchedule(0.001), adam.LearningRate);
        Assert.Equal(new Adam(0.001, 0.9, 0.999, 1e-8), adam);
        Assert.NotEqual(new Adam(0.002), adam);
        var w = new AdamW();
        Assert.Equal(0.01, w.WeightDecay); // PyTorch's AdamW
        var rms = new RmsProp();
        Assert.Equal((0.9, 1e-8, EpsilonPlacement.InsideRoot), (rms.Beta, rms.Epsilon, rms.Placement));
        Assert.Equal(new ConstantSchedule(0.001), rms.LearningRate);
        var ada = new AdaGrad();
        Assert.Equal((1e-10, 0.0), (ada.Epsilon, ada.InitialAccumulator)); // PyTorch's Adagrad
        Assert.Equal(new ConstantSchedule(0.01), ada.LearningRate);
        var m = new Momentum();
        Assert.Equal((0.0, MomentumConvention.Sutskever, false), (m.Mu, m.Convention, m.Nesterov)); // Keras's SGD
        Assert.Equal(new ConstantSchedule(0.01), new GradientDescent().LearningRate);
        Assert.Equal(new Adam(0.1), Optim.Adam(0.1));
        Assert.Equal(new StepDecay(0.1, 5, 0.1), Lr.Step(0.1, 5));
    }
}
