namespace Orchestrator.Llama.Gguf;

/// <summary>Types of GGUF metadata values (numbers as in <c>enum gguf_type</c>).</summary>
public enum GgufValueType : uint
{
    /// <summary>unsigned 8-bit</summary>
    UInt8 = 0,
    /// <summary>signed 8-bit</summary>
    Int8 = 1,
    /// <summary>unsigned 16-bit</summary>
    UInt16 = 2,
    /// <summary>signed 16-bit</summary>
    Int16 = 3,
    /// <summary>unsigned 32-bit</summary>
    UInt32 = 4,
    /// <summary>signed 32-bit</summary>
    Int32 = 5,
    /// <summary>32-bit float</summary>
    Float32 = 6,
    /// <summary>boolean (one byte)</summary>
    Bool = 7,
    /// <summary>UTF-8 string with a 64-bit length</summary>
    String = 8,
    /// <summary>typed array with a 64-bit count</summary>
    Array = 9,
    /// <summary>unsigned 64-bit</summary>
    UInt64 = 10,
    /// <summary>signed 64-bit</summary>
    Int64 = 11,
    /// <summary>64-bit float</summary>
    Float64 = 12,
}
