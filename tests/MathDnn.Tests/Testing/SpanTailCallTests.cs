using System.Reflection;
using System.Reflection.Emit;

namespace MathDnn.Tests.Testing;

/// <summary>
/// The library's F# assemblies make no explicit tail call (IL <c>tail.</c> prefix) that passes a span or another by-ref
/// argument. F# emits <c>tail.</c> for a call in tail position, e.g. <c>fun () -> layer.DiagonalJacobian(…)</c>; when the
/// callee takes more stack arguments than the caller the runtime goes through its tail-call helpers, and on .NET 10 a
/// garbage collection there can leave a span's pointer stale: the layer then writes into the array's old place and the
/// caller's array keeps its previous contents. The property kit saw it as DiagonalJacobian leaving every entry unwritten,
/// once in about 10⁶ calls under GC pressure (about one full test run in twelve); compiled without tail calls it never did.
/// </summary>
public class SpanTailCallTests
{
    /// <summary>The targets of the "tail." calls in one method body whose target takes a by-ref-like or by-ref parameter.</summary>
    private static IEnumerable<MethodBase> TailCallsPassingByRefs(byte[] il, Module module, Type[]? typeArguments, Type[]? methodArguments)
    {
        bool tail = false;
        foreach (var (op, operand) in IlReader.Instructions(il))
        {
            if (tail && (op == OpCodes.Call || op == OpCodes.Callvirt))
            {
                var target = module.ResolveMethod(BitConverter.ToInt32(il, operand), typeArguments, methodArguments)!;
                if (target.GetParameters().Any(p => p.ParameterType.IsByRefLike || p.ParameterType.IsByRef)) yield return target;
            }
            tail = op == OpCodes.Tailcall;
        }
    }

    /// <summary>Every such call in the assembly, as "Type.Method → Target".</summary>
    private static List<string> TailCallsPassingByRefs(Assembly assembly)
    {
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        return [.. from type in assembly.GetTypes()
                   from method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all))
                   let il = method.GetMethodBody()?.GetILAsByteArray()
                   where il is not null
                   from target in TailCallsPassingByRefs(il, method.Module, type.IsGenericType ? type.GetGenericArguments() : null,
                       method.IsGenericMethod ? method.GetGenericArguments() : null)
                   select $"{type.FullName}.{method.Name} → {target.DeclaringType?.Name}.{target.Name}"];
    }

    [Fact]
    public void The_property_kit_makes_no_tail_call_passing_spans()
    {
        Assert.Empty(TailCallsPassingByRefs(typeof(MathDnn.Testing.PrimitiveCheck).Assembly));
    }

    [Fact]
    public void The_FSharp_surface_makes_no_tail_call_passing_spans()
    {
        Assert.Empty(TailCallsPassingByRefs(typeof(MathDnn.FSharp.Training).Assembly));
    }

    [Fact]
    public void The_scan_finds_a_tail_call_passing_a_span()
    {
        // ldarg.0; tail. call Target(Span<int>); ret — found (so the empty results above mean none), and without the
        // prefix not.
        var target = typeof(SpanTailCallTests).GetMethod(nameof(Target), BindingFlags.NonPublic | BindingFlags.Static)!;
        byte[] token = BitConverter.GetBytes(target.MetadataToken);
        byte[] tailCall = [0x02, 0xFE, 0x14, 0x28, .. token, 0x2A];
        byte[] plainCall = [0x02, 0x28, .. token, 0x2A];
        Assert.Equal([target], TailCallsPassingByRefs(tailCall, target.Module, null, null));
        Assert.Empty(TailCallsPassingByRefs(plainCall, target.Module, null, null));
    }

    private static int Target(Span<int> values) => values.Length;
}
