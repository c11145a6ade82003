using System.Reflection;
using System.Reflection.Emit;

namespace MathDnn.Tests;

/// <summary>Walks a method body's IL: each instruction's opcode and the offset of its operand (for tests that read compiled code).</summary>
internal static class IlReader
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue =
        typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>(opcode, operand offset) for every instruction of <paramref name="il"/>, in order.</summary>
    public static IEnumerable<(OpCode Op, int Operand)> Instructions(byte[] il)
    {
        for (int i = 0; i < il.Length;)
        {
            var op = il[i] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[i + 1])] : OpCodesByValue[il[i]];
            i += op.Size;
            yield return (op, i);
            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
        }
    }
}
