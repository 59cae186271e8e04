namespace Orchestrator.Llama.Gguf;

/// <summary>One metadata value: a scalar (boxed number, bool or string) or, for <see cref="GgufValueType.Array"/>,
/// an array of <see cref="ElementType"/>.</summary>
public sealed record GgufValue(GgufValueType Type, object Value, GgufValueType? ElementType = null)
{
    /// <summary>The value as a 64-bit integer when it is an integer type.</summary>
    public long? AsInt64() => Type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.UInt16 or GgufValueType.Int16
            or GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Int64 => Convert.ToInt64(Value),
        GgufValueType.UInt64 => (ulong)Value > long.MaxValue ? null : (long)(ulong)Value,
        _ => null,
    };

    /// <summary>The value as a double when it is numeric.</summary>
    public double? AsDouble() => Type is GgufValueType.Float32 or GgufValueType.Float64
        ? Convert.ToDouble(Value)
        : AsInt64();

    /// <summary>Element count of an array value, else null.</summary>
    public int? ArrayLength => Value is Array a && Type == GgufValueType.Array ? a.Length : null;
}

/// <summary>A tensor's entry in the header: name, dimensions (innermost first), type, and the offset of its bytes
/// from the start of the data section.</summary>
public sealed record GgufTensorInfo(string Name, long[] Dimensions, GgmlType Type, long Offset)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount => Dimensions.Aggregate(1L, (a, d) => a * d);

    /// <summary>Bytes of its data.</summary>
    public long ByteSize
    {
        get
        {
            var (block, size) = GgmlTypeInfo.Of((uint)Type)!.Value;
            return ElementCount / block * size;
        }
    }
}

/// <summary>A GGUF file's header as read and validated by <see cref="GgufReader"/>: metadata, tensor table,
/// alignment and where the tensor data starts. Tensor data is not loaded.</summary>
public sealed record GgufFile(
    string Path,
    uint Version,
    IReadOnlyDictionary<string, GgufValue> Metadata,
    IReadOnlyList<GgufTensorInfo> Tensors,
    int Alignment,
    long DataOffset,
    long FileLength)
{
    /// <summary><c>general.architecture</c>, if present.</summary>
    public string? Architecture => Metadata.TryGetValue("general.architecture", out var v) ? v.Value as string : null;

    /// <summary>An integer metadata value, if present and integer.</summary>
    public long? GetInt(string key) => Metadata.TryGetValue(key, out var v) ? v.AsInt64() : null;

    /// <summary>A string metadata value, if present.</summary>
    public string? GetString(string key) => Metadata.TryGetValue(key, out var v) ? v.Value as string : null;
}
