using System.Text.Json;
using MathDnn.Data;
using MathDnn.Theory;

namespace MathDnn.Tests.Theory;

/// <summary>Each theory experiment at its default size: the conclusion it claims, with hand-computed values where the mathematics gives them.</summary>
public class ExperimentTests
{
    [Fact]
    public void Descent_with_eta_1_over_L_meets_L_R_squared_over_2t_at_every_t_and_eta_above_2_over_L_diverges()
    {
        var r = DescentExperiment.Run();
        Assert.True(r.Holds, r.Verdict);
        foreach (var run in r.Convergent)
        {
            Assert.True(run.BoundHolds, run.Problem);
            Assert.Equal(200, run.Gap.Length);
            // The bound at t = 1 is L‖x*‖²/2 (x₀ = 0), and it halves when t doubles.
            Assert.Equal(run.L * run.InitialDistanceSquared / 2, run.Bound[0], 12);
            Assert.Equal(run.Bound[0] / 2, run.Bound[1], 12);
            Assert.True(run.Gap[^1] < run.Gap[0], "the gap decreases");
        }
        // η = 2.5/L on a quadratic: the top mode is multiplied by 1 − 2.5 = −1.5 per step, the gap by 2.25. Once that mode
        // dominates (relative weight of the others ≤ (|1 − 2.5λᵢ/L|/1.5)^{2t}), the measured ratio matches to ≈ 1e-3.
        Assert.True(r.Divergent.Diverged);
        Assert.Equal(2.25, r.Divergent.PredictedGrowthPerStep);
        Assert.Equal(2.25, r.Divergent.GrowthPerStep, 2);
    }

    [Fact]
    public void Robbins_Monro_only_the_schedule_meeting_both_conditions_converges_at_rate_1_over_t()
    {
        var r = RobbinsMonroExperiment.Run();
        Assert.True(r.Holds, r.Verdict);
        var byName = r.Schedules.ToDictionary(s => s.Schedule);
        // Verdicts on 004's conditions: constant (Σ η² = ∞), 1/t (both), 1/√t (Σ η² = Σ 1/(1 + t) = ∞).
        Assert.Equal((true, false), (byName["constant"].Conditions.SumDiverges, byName["constant"].Conditions.SumOfSquaresConverges));
        Assert.True(byName["1/t"].Conditions.Satisfied);
        Assert.Equal((true, false), (byName["1/√t"].Conditions.SumDiverges, byName["1/√t"].Conditions.SumOfSquaresConverges));
        // Constant plateau ησ²d/(μ(2 − ημ)) = 0.1·1·10/1.9 = 0.526316. The measured mean over 40 runs × 10 coordinates of a
        // squared Gaussian has relative standard deviation √(2/400) ≈ 7%: 25% is over 3 of them.
        Assert.Equal(0.526316, r.ConstantPlateau, 6);
        Assert.InRange(byName["constant"].FinalError / r.ConstantPlateau, 0.75, 1.25);
        // 1/t: E‖e_t‖² = σ²d/t exactly (with μ = 1, η₀ = 1): slope −1 and 10/5000 = 0.002 at T = 5000 (same 25% margin).
        Assert.InRange(byName["1/t"].TailSlope, -1.15, -0.85);
        Assert.InRange(byName["1/t"].FinalError / 0.002, 0.75, 1.25);
        // 1/√t: ≈ η_t σ²d/2 ~ t^{−1/2}.
        Assert.InRange(byName["1/√t"].TailSlope, -0.7, -0.35);
    }

    [Fact]
    public void Hardt_bound_2L2_over_n_sum_eta_is_above_the_measured_gap_for_every_n_and_T()
    {
        var r = HardtExperiment.Run(BuiltInData.Digits());
        Assert.True(r.Holds, r.Verdict);
        Assert.Equal(12, r.Cells.Length);
        // η = ½·(2/β) = 1/β and L² = 4β, so (2L²/n)·T·η = 8T/n = 8·epochs.
        Assert.Equal(4 * r.Beta, r.Lipschitz * r.Lipschitz, 10);
        foreach (var c in r.Cells) Assert.Equal(8.0 * c.Epochs, c.Bound, 10);
        // Logistic regression on 50 digits does overfit: the mean gap there is positive.
        Assert.True(r.Cells.First(c => c.SampleSize == 50).MeanGap > 0);
    }

    [Fact]
    public void Universal_approximation_error_falls_at_least_at_Barrons_rate_and_stays_under_his_bound()
    {
        var r = UniversalApproximationExperiment.Run();
        Assert.True(r.Holds, r.Verdict);
        // C_f = π for sin(πx): the bound at n = 1 is 4π² = 39.478.
        Assert.Equal(4 * Math.PI * Math.PI, r.Points[0].BarronBound, 12);
        Assert.True(r.MeanSquaredSlope <= -1);
        Assert.True(r.Points[^1].SupError < 0.01, $"sup error {r.Points[^1].SupError} at n = 256");
    }

    [Fact]
    public void Telgarsky_tent_network_is_exact_has_2_to_the_k_pieces_and_beats_shallow_networks()
    {
        // f(¼) = σ(2·¼ − 4·0) = ½ = m(¼); f^(2)(¼) = m(½) = 1; f(1) = σ(2 − 4·½) = 0.
        var f = TelgarskyExperiment.TentNetwork(1);
        Assert.Equal(0.5, f.Apply(Approx.V(0.25))[0]);
        Assert.Equal(0.0, f.Apply(Approx.V(1.0))[0]);
        Assert.Equal(1.0, TelgarskyExperiment.TentNetwork(2).Apply(Approx.V(0.25))[0]);
        var r = TelgarskyExperiment.Run();
        Assert.True(r.Holds, r.Verdict);
        Assert.Equal([2, 4, 8, 16, 32, 64, 128, 256], r.Compositions.Select(c => c.Pieces).ToArray());
        Assert.All(r.Compositions, c => Assert.True(c.EqualsTentMap));
        Assert.Equal(0.0, r.DeepError);
        Assert.Equal(65, r.TaskPoints);
        // Width 16 on 65 points: bound ½ − 17/65 = 0.238462.
        Assert.Equal(0.5 - 17.0 / 65, r.Shallow.Single(s => s.Width == 16).LowerBound, 12);
        Assert.All(r.Shallow, s => Assert.True(s.Error >= s.LowerBound && s.Pieces <= s.Width + 1));
    }

    [Fact]
    public void Montufar_folding_network_has_4_to_the_L_regions_and_beats_the_shallow_maximum_from_L_4()
    {
        var r = MontufarExperiment.Run();
        Assert.True(r.Holds, r.Verdict);
        Assert.Equal([4, 16, 64, 256, 1024], r.Depths.Select(d => d.Constructed).ToArray());
        // Shallow maximum 1 + N + N(N − 1)/2 at N = 16: 1 + 16 + 120 = 137; Montúfar's bound at L = 4, n = 4: 2^(2·3)·11 = 704.
        var four = r.Depths.Single(d => d.Depth == 4);
        Assert.Equal(137, four.ShallowMaximum);
        Assert.Equal(704, four.MontufarLowerBound);
        Assert.True(four.Constructed > four.ShallowMaximum);
        Assert.True(r.Depths.Single(d => d.Depth == 3).Constructed < r.Depths.Single(d => d.Depth == 3).ShallowMaximum); // 64 < 79
    }

    [Fact]
    public void Experiments_are_deterministic_and_serialise_to_JSON()
    {
        var digits = BuiltInData.Digits();
        foreach (var name in new[] { "descent", "telgarsky" })
        {
            var a = TheoryExperiments.Run(name, seed: 3, digits);
            var b = TheoryExperiments.Run(name, seed: 3, digits);
            Assert.Equal(JsonSerializer.Serialize(a, a.GetType()), JsonSerializer.Serialize(b, b.GetType()));
            Assert.Equal(name, a.Name);
            Assert.NotEmpty(a.Plots);
        }
        // Every result serialises (no infinities or NaN anywhere in the records and plots).
        foreach (var r in new ITheoryResult[] { RobbinsMonroExperiment.Run(), UniversalApproximationExperiment.Run(), MontufarExperiment.Run(new MontufarOptions(MaxDepth: 2, Grid: 64)) })
            Assert.Contains("\"Plots\"", JsonSerializer.Serialize(r, r.GetType()));
        Assert.Contains("unknown name", Assert.Throws<ArgumentException>(() => TheoryExperiments.Run("nope")).Message);
        Assert.Contains("digits", Assert.Throws<ArgumentException>(() => TheoryExperiments.Run("hardt")).Message);
    }
}
