namespace Orchestrator.Llama.Gguf;

/// <summary>How the tensor data is laid out, as llama.cpp needs it: an alignment of at least 32 bytes (a power of
/// two), weights in a floating-point or quantised type (not I8, I16, I32, I64 or F64), and tensors packed in the
/// order of the tensor table, each at the aligned end of the one before.</summary>
internal static class TensorLayoutRules
{
    private static readonly IReadOnlySet<GgmlType> IntegerOrDoubleTypes =
        new HashSet<GgmlType> { GgmlType.I8, GgmlType.I16, GgmlType.I32, GgmlType.I64, GgmlType.F64 };

    public static void Validate(GgufFile file)
    {
        if (file.Alignment < 32 || (file.Alignment & (file.Alignment - 1)) != 0)
            throw GgufValidator.Fail(file, $"general.alignment is {file.Alignment}; llama.cpp needs a power of two of at least 32.");
        foreach (var t in file.Tensors)
            if (IntegerOrDoubleTypes.Contains(t.Type))
                throw GgufValidator.Fail(file, $"tensor {t.Name} has type {t.Type}; weights must be a floating-point or quantised type.");
        long expected = 0;
        foreach (var t in file.Tensors)
        {
            if (t.Offset != expected)
                throw GgufValidator.Fail(file, $"tensor {t.Name} starts at offset {t.Offset} of the data section, but packed in the order " +
                                               $"of the tensor table it would start at {expected}; llama.cpp reads them in that order.");
            expected = GgufReader.Align(t.Offset + t.ByteSize, file.Alignment);
        }
    }
}
