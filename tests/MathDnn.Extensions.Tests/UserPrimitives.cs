using System.Numerics;
using System.Numerics.Tensors;
using MathDnn.Activations;
using MathDnn.Layers;
using MathDnn.Networks;

namespace MathDnn.Extensions.Tests;

/// <summary>The simple form: a parameter-free "square" layer y = x ⊙ x written one sample at a time in double.</summary>
public sealed record Square : PerSampleLayer
{
    public override string Name => "square";
    public override MathNet.Numerics.LinearAlgebra.Vector<double> Apply(MathNet.Numerics.LinearAlgebra.Vector<double> parameters,
        MathNet.Numerics.LinearAlgebra.Vector<double> x, Batch batch) => x.PointwiseMultiply(x);
    public override (MathNet.Numerics.LinearAlgebra.Vector<double> Input, MathNet.Numerics.LinearAlgebra.Vector<double> Parameters) Pullback(
        MathNet.Numerics.LinearAlgebra.Vector<double> parameters, MathNet.Numerics.LinearAlgebra.Vector<double> x,
        MathNet.Numerics.LinearAlgebra.Vector<double> y, MathNet.Numerics.LinearAlgebra.Vector<double> upstream, Batch batch) =>
        (2 * upstream.PointwiseMultiply(x), parameters);
}
