using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.LeastSquares;

/// <summary>One candidate of a <see cref="ModelSelection"/>: its setting (λ or degree), its fitted β and its training and validation RMSE (002 eq. 19).</summary>
/// <param name="Setting">The candidate's setting: λ for ridge, the degree for polynomial features.</param>
/// <param name="TrainError">Its RMSE on the training rows (002 eq. 19).</param>
/// <param name="ValidationError">Its RMSE on the validation rows.</param>
/// <param name="Coefficients">Its fitted coefficients β.</param>
public sealed record Candidate<T>(T Setting, double TrainError, double ValidationError, Vector<double> Coefficients);

/// <summary>Every candidate, in the order given, and the index of the chosen one.</summary>
/// <param name="Candidates">Every candidate, in the order given.</param>
/// <param name="ChosenIndex">The index of the candidate with the smallest validation error.</param>
public sealed record Selection<T>(ImmutableArray<Candidate<T>> Candidates, int ChosenIndex)
{
    /// <summary>The candidate with the smallest validation error.</summary>
    public Candidate<T> Chosen => Candidates[ChosenIndex];

    /// <summary>True when the chosen index and the candidates (in order) are equal.</summary>
    public bool Equals(Selection<T>? other) =>
        other is not null && ChosenIndex == other.ChosenIndex && Candidates.SequenceEqual(other.Candidates);

    /// <summary>A hash consistent with <see cref="Equals(Selection{T}?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(ChosenIndex, Candidates.Length);
}

/// <summary>
/// Capacity selection by validation (002 Sections 9–10): fit every candidate on the training rows of a
/// <see cref="DataSplit"/>, measure its RMSE E(f, D, U) (002 eq. 19) on the training rows and on the held-out
/// validation rows, and choose the candidate with the smallest validation RMSE. Ties go to the earliest candidate in
/// the order given (list candidates from simplest to most complex to prefer the simplest). Arguments are never mutated.
/// </summary>
public static class ModelSelection
{
    /// <summary>
    /// Chooses the ridge penalty λ (002 Section 10) among <paramref name="lambdas"/> for features X and targets y.
    /// λ = 0 is ordinary least squares (QR; it throws if the training rows of X are rank-deficient).
    /// </summary>
    public static Selection<double> RidgeLambda(Matrix<double> x, Vector<double> y, IReadOnlyList<double> lambdas, DataSplit split, bool penalizeIntercept = true)
    {
        const string op = "ModelSelection.RidgeLambda";
        OrdinaryLeastSquares.Validate(op, x, y);
        ArgumentNullException.ThrowIfNull(lambdas);
        ArgumentNullException.ThrowIfNull(split);
        var (xTrain, xValidation) = split.Rows(x);
        var (yTrain, yValidation) = split.Rows(y);
        return Select(op, "λ", lambdas, lambda =>
        {
            var beta = Ridge.Solve(xTrain, yTrain, lambda, penalizeIntercept);
            return (beta, LinearModel.RootMeanSquaredError(xTrain, yTrain, beta), LinearModel.RootMeanSquaredError(xValidation, yValidation, beta));
        });
    }

    /// <summary>
    /// Chooses the polynomial degree d (002 Section 9) among <paramref name="degrees"/> for scalar inputs x and targets
    /// y: each candidate fits β on the features [1, x, …, x^d] of the training rows, by least squares (λ = 0, the
    /// default) or ridge with penalty <paramref name="lambda"/>.
    /// </summary>
    public static Selection<int> PolynomialDegree(Vector<double> x, Vector<double> y, IReadOnlyList<int> degrees, DataSplit split, double lambda = 0.0, bool penalizeIntercept = true)
    {
        const string op = "ModelSelection.PolynomialDegree";
        Guard.SameLength(op, x, "x", y, "y");
        ArgumentNullException.ThrowIfNull(degrees);
        ArgumentNullException.ThrowIfNull(split);
        var (xTrain, xValidation) = split.Rows(x);
        var (yTrain, yValidation) = split.Rows(y);
        return Select(op, "degree", degrees, degree =>
        {
            var (fTrain, fValidation) = (PolynomialFeatures.Of(xTrain, degree), PolynomialFeatures.Of(xValidation, degree));
            var beta = lambda == 0.0 ? OrdinaryLeastSquares.Solve(fTrain, yTrain) : Ridge.Solve(fTrain, yTrain, lambda, penalizeIntercept);
            return (beta, LinearModel.RootMeanSquaredError(fTrain, yTrain, beta), LinearModel.RootMeanSquaredError(fValidation, yValidation, beta));
        });
    }

    private static Selection<T> Select<T>(string op, string name, IReadOnlyList<T> settings, Func<T, (Vector<double> Beta, double Train, double Validation)> fit)
    {
        if (settings.Count == 0)
            throw new ArgumentException($"{op}: no candidate {name}; at least one is needed.");
        var candidates = ImmutableArray.CreateBuilder<Candidate<T>>(settings.Count);
        int chosen = 0;
        for (int k = 0; k < settings.Count; k++)
        {
            (Vector<double> Beta, double Train, double Validation) result;
            try
            {
                result = fit(settings[k]);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{op}: candidate {name} = {settings[k]} (#{k}): {e.Message}", e);
            }
            candidates.Add(new Candidate<T>(settings[k], result.Train, result.Validation, result.Beta));
            if (result.Validation < candidates[chosen].ValidationError) chosen = k; // strict: ties keep the earliest
        }
        return new Selection<T>(candidates.MoveToImmutable(), chosen);
    }
}
