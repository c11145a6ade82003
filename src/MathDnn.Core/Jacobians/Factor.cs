using System.Numerics;

namespace MathDnn.Jacobians;

/// <summary>
/// One factor F of a Jacobian chain J = F_1·F_2 ⋯ F_q (003 Thm 1.3), with its structure, for a batch of samples: a factor
/// either holds one matrix per sample (<see cref="Samples"/> &gt; 0, e.g. the diagonal Jacobian of an activation at each
/// sample's pre-activation) or one matrix shared by every sample (<see cref="Samples"/> = 0, e.g. a dense layer's W).
/// Operands are k row-major blocks laid end to end: block s is sample s's matrix. F·D and D·F are computed by the
/// factor's structure (a diagonal factor scales, it does not multiply), on the library's GEMM kernels where a product is
/// needed, for float and double alike.
/// </summary>
internal abstract class Factor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Cost, in multiply-adds of a matrix product, of one pass over one entry by an element-wise kernel (a scaling, a
    /// copy, a select). Chosen, not tuned: the GEMM kernels run 30–45 G multiply-adds/s per core on double (Zen 3 and
    /// Zen 5 machines of this project), a streaming element-wise pass a few G entries/s, so one entry of a pass weighs
    /// about as much as 4 multiply-adds.
    /// </summary>
    public const double ElementCost = 4;

    protected Factor(int rows, int cols, int samples)
    {
        Rows = rows;
        Cols = cols;
        Samples = samples;
    }

    /// <summary>m, the rows of F (the output dimension of the linear map).</summary>
    public int Rows { get; }

    /// <summary>n, the columns of F (its input dimension).</summary>
    public int Cols { get; }

    /// <summary>How many per-sample matrices the factor holds; 0 when one matrix is shared by every sample.</summary>
    public int Samples { get; }

    /// <summary>A short description of the structure, e.g. "dense 10×128" or "diagonal 128".</summary>
    public abstract string Structure { get; }

    /// <summary>Multiply-add equivalents, per sample, of F·D for D with <paramref name="n"/> columns.</summary>
    public abstract double LeftCost(int n);

    /// <summary>Multiply-add equivalents, per sample, of D·F for D with <paramref name="m"/> rows.</summary>
    public abstract double RightCost(int m);

    /// <summary>Multiply-add equivalents, per sample, of writing F as a dense matrix.</summary>
    public virtual double MaterializeCost => ElementCost * Rows * Cols;

    /// <summary>R_s = F_s·D_s for s &lt; k: D holds k blocks Cols×n, R receives k blocks Rows×n.</summary>
    public abstract void Left(ReadOnlySpan<T> d, int n, int k, Span<T> r);

    /// <summary>R_s = D_s·F_s for s &lt; k: D holds k blocks m×Rows, R receives k blocks m×Cols.</summary>
    public abstract void Right(ReadOnlySpan<T> d, int m, int k, Span<T> r);

    /// <summary>Writes F_s as a dense Rows×Cols block for s &lt; k.</summary>
    public abstract void Materialize(int k, Span<T> r);

    /// <summary>Fᵀ, with the same structure.</summary>
    public abstract Factor<T> Transpose();

    /// <summary>The factor of sample <paramref name="s"/> alone (a shared factor is its own sample).</summary>
    public abstract Factor<T> Sample(int s);

    /// <summary>Checks that the factor can serve k samples.</summary>
    public void CheckSamples(int k)
    {
        if (Samples != 0 && Samples != k)
            throw new ArgumentException($"Jacobian chain: a {Structure} factor holds {Samples} sample(s) but {k} were asked for.");
    }
}
