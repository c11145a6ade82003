using MathNet.Numerics.LinearAlgebra;

namespace MathDnn;

/// <summary>Argument checks shared by the core: every message names the operation and the shapes involved.</summary>
internal static class Guard
{
    public static string Shape(Matrix<double> m) => $"{m.RowCount}×{m.ColumnCount}";
    public static string Shape(Vector<double> v) => $"1×{v.Count}";

    public static void Length(string operation, string what, Vector<double> v, int expected)
    {
        ArgumentNullException.ThrowIfNull(v, what);
        if (v.Count != expected)
            throw new ArgumentException($"{operation}: {what} must be 1×{expected}, got {Shape(v)}.", what);
    }

    public static void SameLength(string operation, Vector<double> a, string aName, Vector<double> b, string bName)
    {
        ArgumentNullException.ThrowIfNull(a, aName);
        ArgumentNullException.ThrowIfNull(b, bName);
        if (a.Count != b.Count)
            throw new ArgumentException($"{operation}: {aName} is {Shape(a)} but {bName} is {Shape(b)}; they must have the same shape.");
    }

    public static void SameShape(string operation, Matrix<double> a, string aName, Matrix<double> b, string bName)
    {
        ArgumentNullException.ThrowIfNull(a, aName);
        ArgumentNullException.ThrowIfNull(b, bName);
        if (a.RowCount != b.RowCount || a.ColumnCount != b.ColumnCount)
            throw new ArgumentException($"{operation}: {aName} is {Shape(a)} but {bName} is {Shape(b)}; they must have the same shape.");
    }

    public static void Finite(string operation, string what, ReadOnlySpan<double> values, int columns = 0)
    {
        if (System.Numerics.Tensors.TensorPrimitives.IsFiniteAll(values)) return; // vectorised; the loop below finds where
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                string where = columns > 0 ? $"row {i / columns}, column {i % columns}" : $"index {i}";
                throw new ArgumentException($"{operation}: {what} contains {values[i]} at {where}; inputs must be finite.");
            }
        }
    }

    public static void Finite(string operation, string what, Vector<double> v) => Finite(operation, what, v.AsArrayOrCopy());
    public static void Finite(string operation, string what, Matrix<double> m) => Finite(operation, what, m.ToRowMajorArray(), m.ColumnCount);

    public static double[] AsArrayOrCopy(this Vector<double> v) => v.AsArray() ?? v.ToArray();
}
