using MathDnn.Activations;
using MathDnn.Kernels;
using MathDnn.Losses;
using MathDnn.Networks;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace MathDnn.Theory;

/// <summary>A real function with the L of 003 Def 6.2 that the mathematics gives it, and why.</summary>
/// <param name="Function">The function with its exact gradient.</param>
/// <param name="L">Its smoothness constant (003 Def 6.2).</param>
/// <param name="Why">Why the mathematics gives it that L.</param>
public sealed record SmoothFunction(RealFunction Function, double L, string Why);

/// <summary>
/// The functions 003 Section 6 is applied to in this library, each as a <see cref="RealFunction"/> with its exact gradient
/// and, where it is convex and L-smooth, the L the mathematics gives (with the reason).
/// </summary>
public static class TheoryFunctions
{
    /// <summary>
    /// Softmax cross-entropy in the logits, z ↦ ξ(𝓢(z), y*) = log Σ_k e^{z_k} − ⟨y*, z⟩ for one-hot y*, gradient 𝓢(z) − y*
    /// (003 Prop 5.3). Its Hessian is J_𝓢(z) = diag(p) − pᵀp with p = 𝓢(z) (003 Prop 2.2): u·H·uᵀ = Σ p_k u_k² − (Σ p_k u_k)²
    /// is the variance of u under p, ≥ 0, so it is convex (003 Def 6.1); and by Popoviciu's inequality that variance is at
    /// most (max u − min u)²/4 ≤ (√2)²/4 = ½ for ‖u‖ = 1, so ‖H‖₂ ≤ ½ and it is ½-smooth (003 Def 6.2).
    /// </summary>
    public static SmoothFunction SoftmaxCrossEntropy(Vector<double> target)
    {
        var f = RealFunction.From(new Losses.SoftmaxCrossEntropy().AsFunction(target));
        return new SmoothFunction(f, 0.5,
            "Hessian diag(p) − pᵀp (003 Prop 2.2): u·H·uᵀ = Var_p(u) ∈ [0, ½] for ‖u‖ = 1 (Popoviciu), so convex and ½-smooth");
    }

    /// <summary>
    /// The mean squared error of a linear model, f(β) = (1/n)‖Xβ − y‖² (002 eq. 15 over the samples with the model of
    /// 002 Section 9), gradient (2/n)Xᵀ(Xβ − y), Hessian (2/n)XᵀX ≽ 0: convex, and L-smooth with L = 2λ_max(XᵀX)/n,
    /// the Hessian's largest eigenvalue (= 2σ_max(X)²/n).
    /// </summary>
    public static SmoothFunction LinearLeastSquares(Matrix<double> x, Vector<double> y)
    {
        LeastSquares.OrdinaryLeastSquares.Validate("linear least squares", x, y);
        var (xm, yc) = (Mat.From(x), y.ToArray());
        int n = xm.Rows;
        var f = RealFunction.Of("mean squared error of a linear model", xm.Cols,
            beta => { var r = Residual(xm, beta, yc); return TensorPrimitives.Dot<double>(r, r) / n; },
            beta => TransposeTimes(xm, Residual(xm, beta, yc), 2.0 / n));
        double sigma = LipschitzBounds.SpectralNorm(x);
        return new SmoothFunction(f, 2 * sigma * sigma / n, "Hessian (2/n)XᵀX: convex, L = 2λ_max(XᵀX)/n");
    }

    /// <summary>
    /// Logistic regression, f(w) = (1/n)Σᵢ [softplus(xᵢ·wᵀ) − yᵢ xᵢ·wᵀ] with labels yᵢ ∈ [0, 1] (binary cross-entropy of
    /// 002 eq. 1 on σ(xᵢ·wᵀ)), gradient (1/n)Xᵀ(σ(Xw) − y), Hessian (1/n)Xᵀdiag(σ'(Xw))X with 0 &lt; σ' ≤ ¼: convex and
    /// L-smooth with L = λ_max(XᵀX)/(4n).
    /// </summary>
    public static SmoothFunction LogisticRegression(Matrix<double> x, Vector<double> labels)
    {
        LeastSquares.OrdinaryLeastSquares.Validate("logistic regression", x, labels);
        for (int i = 0; i < labels.Count; i++)
            if (labels[i] is < 0 or > 1) throw new ArgumentException($"Logistic regression: label {i} is {labels[i]}; labels must lie in [0, 1].");
        var (xm, yc) = (Mat.From(x), labels.ToArray());
        int n = xm.Rows;
        var f = RealFunction.Of("logistic regression", xm.Cols,
            w =>
            {
                var s = Times(xm, w);
                double total = 0;
                for (int i = 0; i < n; i++) total += ScalarMath.Softplus(s[i]) - yc[i] * s[i];
                return total / n;
            },
            w =>
            {
                var r = Times(xm, w);
                for (int i = 0; i < n; i++) r[i] = Sigmoid.Logistic(r[i]) - yc[i];
                return TransposeTimes(xm, r, 1.0 / n);
            });
        double sigma = LipschitzBounds.SpectralNorm(x);
        return new SmoothFunction(f, sigma * sigma / (4 * n), "Hessian (1/n)Xᵀdiag(σ')X with σ' ≤ ¼: convex, L = λ_max(XᵀX)/(4n)");
    }

    // X·βᵀ, Xᵀ·r with the core's kernels (MathNet's provider parallelises these small products, which costs more than it saves).
    private static double[] Times(Mat<double> x, Vector<double> beta)
    {
        var r = new double[x.Rows];
        var b = beta.ToArray();
        for (int i = 0; i < x.Rows; i++) r[i] = TensorPrimitives.Dot<double>(x.Row(i), b);
        return r;
    }

    private static double[] Residual(Mat<double> x, Vector<double> beta, double[] y)
    {
        var r = Times(x, beta);
        TensorPrimitives.Subtract(r, y, r);
        return r;
    }

    private static Vector<double> TransposeTimes(Mat<double> x, double[] r, double scale)
    {
        var g = new double[x.Cols];
        for (int i = 0; i < x.Rows; i++) TensorPrimitives.MultiplyAdd(x.Row(i), r[i] * scale, g, g);
        return Vector<double>.Build.DenseOfArray(g);
    }

    /// <summary>θ ↦ 𝒪(X, Y*, θ) of 003 Def 5.2 for the network's architecture, with its backpropagation gradient.</summary>
    public static RealFunction NetworkObjective(Network network, Matrix<double> inputs, Matrix<double> targets, Loss loss, Reduction reduction = Reduction.Sum) =>
        RealFunction.From(new Objective(loss, reduction).AsFunctionOfParameters(network, inputs, targets));
}
