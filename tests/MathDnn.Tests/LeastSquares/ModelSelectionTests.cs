using MathDnn.LeastSquares;
using MathDnn.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Tests.LeastSquares;

/// <summary>Seeded train/validation split and capacity selection by validation RMSE (002 Sections 9–10, eq. 19).</summary>
public class ModelSelectionTests
{
    private static Vector<double> V(params double[] x) => Vector<double>.Build.DenseOfArray(x);

    [Fact]
    public void Seeded_split_is_deterministic_disjoint_and_covering()
    {
        var a = DataSplit.Random(10, 0.3, seed: 42);
        var b = DataSplit.Random(10, 0.3, seed: 42);
        Assert.Equal(a, b);                                   // same seed → same split
        Assert.Equal(3, a.Validation.Length);                 // round(0.3·10) = 3
        Assert.Equal(7, a.Train.Length);
        Assert.Equal(Enumerable.Range(0, 10), a.Train.Concat(a.Validation).Order());
        Assert.Equal(a.Train.Order(), a.Train);               // each part sorted
        Assert.Equal(a.Validation.Order(), a.Validation);
        Assert.Equal(3, DataSplit.Random(5, 0.5, seed: 1).Validation.Length);   // round(2.5) half away from zero = 3
        Assert.Single(DataSplit.Random(3, 0.01, seed: 1).Validation);          // round(0.03) = 0, clamped to 1
        // The split is the first m entries of Rng(seed).Permutation(n).
        var perm = new Rng(42).Permutation(10);
        Assert.Equal(perm.Take(3).Order(), a.Validation);
    }

    [Fact]
    public void Bad_splits_are_named()
    {
        Assert.Contains("1 rows cannot be split", Assert.Throws<ArgumentException>(() => DataSplit.Random(1, 0.5, 0)).Message);
        Assert.Contains("fraction is 1", Assert.Throws<ArgumentException>(() => DataSplit.Random(4, 1.0, 0)).Message);
        Assert.Contains("row 1 appears more than once", Assert.Throws<ArgumentException>(() => DataSplit.Of(3, [0, 1], [1, 2])).Message);
        Assert.Contains("row 2 of 3 is in neither part", Assert.Throws<ArgumentException>(() => DataSplit.Of(3, [0], [1])).Message);
        Assert.Contains("validation row 5", Assert.Throws<ArgumentException>(() => DataSplit.Of(3, [0, 1], [5])).Message);
        var split = DataSplit.Of(3, [2, 0], [1]);
        Assert.Equal([0, 2], split.Train.ToArray());
        Assert.Contains("covers 3 rows", Assert.Throws<ArgumentException>(() => split.Rows(V(1, 2))).Message);
    }

    [Fact]
    public void Ridge_lambda_selection_by_hand_002_Section_10()
    {
        // Train rows x = [1, 2, 3], y = [1, 2, 2] (one column): β(λ) = 11/(14 + λ) (RidgeTests). Validation row x = 4, y = 2.2.
        //   λ = 0: β = 11/14, prediction 44/14 = 22/7,  |2.2 − 22/7| = |15.4 − 22|/7 = 33/35 ≈ 0.943
        //   λ = 1: β = 11/15, prediction 44/15,         |33/15 − 44/15| = 11/15 ≈ 0.733
        //   λ = 8: β = 1/2,   prediction 2,             |2.2 − 2| = 1/5
        // One validation row: its RMSE is the absolute error, so λ = 8 is chosen. Its training RMSE:
        //   predictions [0.5, 1, 1.5], residuals [0.5, 1, 0.5], √((0.25 + 1 + 0.25)/3) = √(1/2).
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1 }, { 2 }, { 3 }, { 4 } });
        var y = V(1, 2, 2, 2.2);
        var split = DataSplit.Of(4, [0, 1, 2], [3]);
        var s = ModelSelection.RidgeLambda(x, y, [0.0, 1.0, 8.0], split);
        // 2.2 is not exact in binary (≈ 1.1e-16·2 off) and β carries ≈ 7e-16 (RidgeTests): 4·(7e-16) + 4.4e-16 < 5e-15.
        const double tol = 5e-15;
        Assert.Equal(2, s.ChosenIndex);
        Assert.Equal(8.0, s.Chosen.Setting);
        Assert.Equal([0.0, 1.0, 8.0], s.Candidates.Select(c => c.Setting));
        Assert.Equal(33.0 / 35, s.Candidates[0].ValidationError, tol);
        Assert.Equal(11.0 / 15, s.Candidates[1].ValidationError, tol);
        Assert.Equal(1.0 / 5, s.Candidates[2].ValidationError, tol);
        Assert.Equal(Math.Sqrt(0.5), s.Chosen.TrainError, tol);
        Assert.Equal(0.5, s.Chosen.Coefficients[0], tol);
        // The training error never decreases as λ grows (the penalty trades training fit for a smaller β).
        Assert.True(s.Candidates[0].TrainError <= s.Candidates[1].TrainError && s.Candidates[1].TrainError <= s.Candidates[2].TrainError);
    }

    [Fact]
    public void Degree_selection_on_noisy_quadratic_data_picks_2_002_Section_9()
    {
        // Data: 30 seeded points x ∈ [−1, 1], y = q(x) + e with q(x) = 1 + 2x − 3x², split at random (seed 7) into
        // 20 training and 10 validation rows; candidates d = 0 … 6. The noise e (σ ≈ 0.1) is shaped so that the answer
        // is 2 by a proof, not by luck of the seed:
        //  • on the training rows e is orthogonal to the columns [1, x, x²], so the degree-2 fit is q itself;
        //  • on the validation rows e is orthogonal to [1, x, …, x⁶].
        // For any d, the fit p_d minus q is a polynomial of degree ≤ 6, hence orthogonal to e on the validation rows, so
        //   validation MSE(d) = mean((q + e − p_d)²) = mean(e²) + mean((p_d − q)²) = MSE(2) + mean((p_d − q)²).
        // d = 0, 1 cannot represent −3x² (p_d − q has degree 2: ≤ 2 roots among 10 points); d ≥ 3 fits the part of the
        // training noise along x³ … x^d, which is not zero. So every d ≠ 2 is strictly worse and 2 is chosen.
        const int n = 30;
        var rng = new Rng(2023);
        var x = Vector<double>.Build.Dense(n, _ => rng.Uniform(-1, 1));
        var noise = Vector<double>.Build.Dense(n, _ => 0.1 * rng.NextNormal());
        var split = DataSplit.Random(n, 1.0 / 3, seed: 7);
        var (xTrain, xValidation) = split.Rows(x);
        var (eTrain, eValidation) = split.Rows(noise);
        eTrain = OrthogonalToPolynomials(xTrain, eTrain, 2);
        eValidation = OrthogonalToPolynomials(xValidation, eValidation, 6);
        var e = Vector<double>.Build.Dense(n);
        for (int k = 0; k < split.Train.Length; k++) e[split.Train[k]] = eTrain[k];
        for (int k = 0; k < split.Validation.Length; k++) e[split.Validation[k]] = eValidation[k];
        var y = Vector<double>.Build.Dense(n, i => 1 + 2 * x[i] - 3 * x[i] * x[i] + e[i]);

        var s = ModelSelection.PolynomialDegree(x, y, [0, 1, 2, 3, 4, 5, 6], split);

        Assert.Equal(2, s.Chosen.Setting);
        Assert.Equal(2, s.ChosenIndex);
        for (int d = 0; d <= 6; d++)
            if (d != 2) Assert.True(s.Candidates[d].ValidationError > s.Chosen.ValidationError, $"degree {d}: {s.Candidates[d]}");
        // The degree-2 fit is q: β = [1, 2, −3] and the validation RMSE is the RMS of the validation noise.
        // Rounding: Vandermonde matrices of degree ≤ 6 on [−1, 1] have κ ≲ 1e4; the projections, the fit and the RMSE
        // each carry ≈ n·ε·κ ≈ 30·2.2e-16·1e4 ≈ 7e-11 at most; 1e-9 bounds their sum.
        const double tol = 1e-9;
        Assert.Equal(1.0, s.Chosen.Coefficients[0], tol);
        Assert.Equal(2.0, s.Chosen.Coefficients[1], tol);
        Assert.Equal(-3.0, s.Chosen.Coefficients[2], tol);
        Assert.Equal(Math.Sqrt(eValidation.DotProduct(eValidation) / eValidation.Count), s.Chosen.ValidationError, tol);
        // Nested models: the training RMSE never increases with the degree.
        for (int d = 1; d <= 6; d++) Assert.True(s.Candidates[d].TrainError <= s.Candidates[d - 1].TrainError + tol, $"degree {d}");
        // Determinism: the same seeds give a bit-identical selection.
        Assert.Equal(s, ModelSelection.PolynomialDegree(x, y, [0, 1, 2, 3, 4, 5, 6], split));
    }

    [Fact]
    public void A_failing_candidate_is_named()
    {
        // Degree 3 on 3 training points: 3×4 features, rank ≤ 3 < 4.
        var x = V(0, 1, 2, 3);
        var split = DataSplit.Of(4, [0, 1, 2], [3]);
        var ex = Assert.Throws<ArgumentException>(() => ModelSelection.PolynomialDegree(x, x, [1, 3], split));
        Assert.Contains("candidate degree = 3", ex.Message);
        Assert.Contains("rank", ex.Message);
        Assert.Contains("no candidate", Assert.Throws<ArgumentException>(() => ModelSelection.PolynomialDegree(x, x, [], split)).Message);
    }

    /// <summary>e minus its least-squares projection on [1, x, …, x^d] (MathNet's QR directly, not the code under test).</summary>
    private static Vector<double> OrthogonalToPolynomials(Vector<double> x, Vector<double> e, int degree)
    {
        var v = Matrix<double>.Build.Dense(x.Count, degree + 1, (i, k) => Math.Pow(x[i], k));
        return e - v * v.QR().Solve(e);
    }
}
