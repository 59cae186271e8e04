namespace Orchestrator.Llama.Gguf;

/// <summary>ggml tensor types a GGUF file may hold (numbers as in <c>enum ggml_type</c>).</summary>
public enum GgmlType : uint
{
    /// <summary>32-bit float.</summary>
    F32 = 0,
    /// <summary>16-bit IEEE float.</summary>
    F16 = 1,
    /// <summary>4-bit blocks of 32.</summary>
    Q4_0 = 2,
    /// <summary>4-bit blocks of 32 with minimum.</summary>
    Q4_1 = 3,
    /// <summary>5-bit blocks of 32.</summary>
    Q5_0 = 6,
    /// <summary>5-bit blocks of 32 with minimum.</summary>
    Q5_1 = 7,
    /// <summary>8-bit blocks of 32 with an F16 scale.</summary>
    Q8_0 = 8,
    /// <summary>8-bit blocks of 32 with scale and sum.</summary>
    Q8_1 = 9,
    /// <summary>k-quant, 2 bits.</summary>
    Q2_K = 10,
    /// <summary>k-quant, 3 bits.</summary>
    Q3_K = 11,
    /// <summary>k-quant, 4 bits.</summary>
    Q4_K = 12,
    /// <summary>k-quant, 5 bits.</summary>
    Q5_K = 13,
    /// <summary>k-quant, 6 bits.</summary>
    Q6_K = 14,
    /// <summary>k-quant, 8 bits.</summary>
    Q8_K = 15,
    /// <summary>i-quant, 4-bit non-linear.</summary>
    IQ4_NL = 20,
    /// <summary>i-quant, 4.25 bits.</summary>
    IQ4_XS = 23,
    /// <summary>8-bit integer.</summary>
    I8 = 24,
    /// <summary>16-bit integer.</summary>
    I16 = 25,
    /// <summary>32-bit integer.</summary>
    I32 = 26,
    /// <summary>64-bit integer.</summary>
    I64 = 27,
    /// <summary>64-bit float.</summary>
    F64 = 28,
    /// <summary>bfloat16.</summary>
    BF16 = 30,
}

/// <summary>Block sizes of the supported <see cref="GgmlType"/>s (from ggml's type traits).</summary>
internal static class GgmlTypeInfo
{
    /// <summary>(elements per block, bytes per block), or null for a type this reader does not know.</summary>
    public static (int BlockSize, int TypeSize)? Of(uint type) => (GgmlType)type switch
    {
        GgmlType.F32 => (1, 4),
        GgmlType.F16 => (1, 2),
        GgmlType.BF16 => (1, 2),
        GgmlType.F64 => (1, 8),
        GgmlType.I8 => (1, 1),
        GgmlType.I16 => (1, 2),
        GgmlType.I32 => (1, 4),
        GgmlType.I64 => (1, 8),
        GgmlType.Q4_0 => (32, 18),
        GgmlType.Q4_1 => (32, 20),
        GgmlType.Q5_0 => (32, 22),
        GgmlType.Q5_1 => (32, 24),
        GgmlType.Q8_0 => (32, 34),
        GgmlType.Q8_1 => (32, 36),
        GgmlType.Q2_K => (256, 84),
        GgmlType.Q3_K => (256, 110),
        GgmlType.Q4_K => (256, 144),
        GgmlType.Q5_K => (256, 176),
        GgmlType.Q6_K => (256, 210),
        GgmlType.Q8_K => (256, 292),
        GgmlType.IQ4_NL => (32, 18),
        GgmlType.IQ4_XS => (256, 136),
        _ => null,
    };
}
