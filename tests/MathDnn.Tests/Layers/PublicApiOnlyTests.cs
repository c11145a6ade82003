using System.Reflection;
using System.Reflection.Emit;
using MathDnn.Activations;
using MathDnn.Layers;
using Xunit;

namespace MathDnn.Tests.Layers;

/// <summary>
/// The primitives added on the extension API (GELU, SiLU, softplus, dropout, layer normalisation) live in MathDnn.Core but
/// must prove that the public API suffices: their IL may reach no internal member of MathDnn.Core, and they may override
/// only public or protected members. The check reads every method body's metadata tokens (calls, fields, types).
/// </summary>
public class PublicApiOnlyTests
{
    public static TheoryData<Type> Primitives => new() { typeof(Gelu), typeof(GeluTanh), typeof(Silu), typeof(Softplus), typeof(Dropout), typeof(LayerNorm) };

    [Theory]
    [MemberData(nameof(Primitives))]
    public void Written_on_the_public_extension_API_only(Type type)
    {
        var violations = new List<string>();
        foreach (var t in WithNested(type))
            foreach (var method in t.GetMethods(All).Cast<MethodBase>().Concat(t.GetConstructors(All)).Where(m => m.DeclaringType == t))
            {
                if (method is MethodInfo mi && mi.GetBaseDefinition() is { } b && b.DeclaringType != mi.DeclaringType && !(b.IsPublic || b.IsFamily || b.IsFamilyOrAssembly))
                    violations.Add($"{t.Name}.{method.Name} overrides the internal {b.DeclaringType!.Name}.{b.Name}");
                foreach (var member in Referenced(method))
                    if (IsCoreInternal(member, type)) violations.Add($"{t.Name}.{method.Name} uses the internal {member.DeclaringType?.Name}.{member.Name}");
            }
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations.Distinct()));
    }

    [Fact]
    public void The_check_sees_an_internal_call()
    {
        // Control: Dense is written on the engine's internal kernels, so the same scan must flag it.
        var members = typeof(Dense).GetMethods(All).Where(m => m.DeclaringType == typeof(Dense)).SelectMany(Referenced);
        Assert.Contains(members, m => IsCoreInternal(m, typeof(Dense)));
    }

    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<Type> WithNested(Type t) => new[] { t }.Concat(t.GetNestedTypes(All).SelectMany(WithNested));

    /// <summary>A member of MathDnn.Core that is not visible outside it (the primitive's own private members excepted).</summary>
    private static bool IsCoreInternal(MemberInfo member, Type self)
    {
        var declaring = member as Type ?? member.DeclaringType;
        if (declaring is null || declaring.Assembly != typeof(Layer).Assembly) return false;
        if (WithNested(self).Contains(declaring)) return false;
        // Compiler-generated helpers (collection expressions' <>z__ReadOnlyArray, <PrivateImplementationDetails>) are emitted
        // into every assembly that uses the feature, a user's too: not API.
        for (var t = declaring; t is not null; t = t.DeclaringType)
            if (t.Name.StartsWith('<')) return false;
        bool typeVisible = declaring.IsVisible;
        bool memberVisible = member switch
        {
            Type => true,
            MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
            FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
            _ => true,
        };
        return !(typeVisible && memberVisible);
    }

    /// <summary>The members a method body references through metadata tokens.</summary>
    private static IEnumerable<MemberInfo> Referenced(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var typeArgs = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        foreach (var (op, operand) in IlReader.Instructions(il))
        {
            if (op.OperandType is not (OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)) continue;
            MemberInfo? m = null;
            try { m = method.Module.ResolveMember(BitConverter.ToInt32(il, operand), typeArgs, methodArgs); } catch (ArgumentException) { }
            if (m is not null) yield return m;
        }
    }
}
