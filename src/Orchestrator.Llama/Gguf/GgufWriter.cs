using System.Buffers.Binary;
using System.Text;

namespace Orchestrator.Llama.Gguf;

/// <summary>Writes GGUF v3 files: metadata in the order added, then tensors stored as F32, F16 or Q8_0 from float data
/// that is produced one tensor at a time (a 134M-parameter model never sits in memory as floats all at once).</summary>
public sealed class GgufWriter
{
    private readonly List<(string Key, GgufValue Value)> _metadata = [];
    private readonly List<(string Name, long[] Dims, GgmlType Type, Func<float[]> Data)> _tensors = [];

    /// <summary>Alignment of tensor data (<c>general.alignment</c>; 32 unless set).</summary>
    public int Alignment { get; init; } = 32;

    /// <summary>Adds a metadata entry.</summary>
    public GgufWriter Add(string key, GgufValueType type, object value, GgufValueType? elementType = null)
    {
        _metadata.Add((key, new GgufValue(type, value, elementType)));
        return this;
    }

    /// <summary>Replaces (or adds) a metadata entry, keeping its place.</summary>
    public GgufWriter Set(string key, GgufValueType type, object value, GgufValueType? elementType = null)
    {
        var i = _metadata.FindIndex(m => m.Key == key);
        if (i < 0) return Add(key, type, value, elementType);
        _metadata[i] = (key, new GgufValue(type, value, elementType));
        return this;
    }

    /// <summary>Removes a metadata entry if present.</summary>
    public GgufWriter Remove(string key)
    {
        _metadata.RemoveAll(m => m.Key == key);
        return this;
    }

    /// <summary>Adds a string entry.</summary>
    public GgufWriter Add(string key, string value) => Add(key, GgufValueType.String, value);

    /// <summary>Adds a UInt32 entry.</summary>
    public GgufWriter Add(string key, uint value) => Add(key, GgufValueType.UInt32, value);

    /// <summary>Adds a Float32 entry.</summary>
    public GgufWriter Add(string key, float value) => Add(key, GgufValueType.Float32, value);

    /// <summary>Adds a tensor; <paramref name="data"/> is called once, at write time, and must return
    /// product(<paramref name="dims"/>) floats.</summary>
    public GgufWriter AddTensor(string name, long[] dims, GgmlType type, Func<float[]> data)
    {
        if (type is not (GgmlType.F32 or GgmlType.F16 or GgmlType.Q8_0))
            throw new ArgumentException($"The writer stores F32, F16 or Q8_0, not {type}.", nameof(type));
        if (type == GgmlType.Q8_0 && dims[0] % 32 != 0)
            throw new ArgumentException($"Q8_0 tensor '{name}' needs a first dimension divisible by 32, not {dims[0]}.");
        _tensors.Add((name, dims, type, data));
        return this;
    }

    /// <summary>Writes the file (replacing it) and returns its length.</summary>
    public long Write(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            Write(stream);
        }
        File.Move(temp, path, overwrite: true);
        return new FileInfo(path).Length;
    }

    /// <summary>Writes the file to a stream.</summary>
    public void Write(Stream stream)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(GgufReader.Magic);
        w.Write(3u);
        w.Write((ulong)_tensors.Count);
        var metadata = _metadata.ToList();
        if (Alignment != 32 && metadata.All(m => m.Key != "general.alignment"))
            metadata.Add(("general.alignment", new GgufValue(GgufValueType.UInt32, (uint)Alignment)));
        w.Write((ulong)metadata.Count);
        foreach (var (key, value) in metadata)
        {
            WriteString(w, key);
            w.Write((uint)value.Type);
            WriteValue(w, value.Type, value.Value, value.ElementType);
        }
        long offset = 0;
        foreach (var (name, dims, type, _) in _tensors)
        {
            WriteString(w, name);
            w.Write((uint)dims.Length);
            foreach (var d in dims) w.Write((ulong)d);
            w.Write((uint)type);
            w.Write((ulong)offset);
            offset = GgufReader.Align(offset + new GgufTensorInfo(name, dims, type, 0).ByteSize, Alignment);
        }
        Pad(w);
        foreach (var (name, dims, type, data) in _tensors)
        {
            var values = data();
            var expected = dims.Aggregate(1L, (a, d) => a * d);
            if (values.Length != expected)
                throw new InvalidOperationException($"Tensor '{name}' produced {values.Length} values; its shape needs {expected}.");
            w.Write(Encode(values, type));
            Pad(w);
        }
    }

    /// <summary>Encodes floats as <paramref name="type"/> (F32, F16 or Q8_0 blocks of 32 with an F16 scale).</summary>
    public static byte[] Encode(ReadOnlySpan<float> values, GgmlType type)
    {
        switch (type)
        {
            case GgmlType.F32:
                var f32 = new byte[values.Length * 4];
                for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(f32.AsSpan(i * 4), values[i]);
                return f32;
            case GgmlType.F16:
                var f16 = new byte[values.Length * 2];
                for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteHalfLittleEndian(f16.AsSpan(i * 2), (Half)values[i]);
                return f16;
            case GgmlType.Q8_0:
                var blocks = values.Length / 32;
                var q8 = new byte[blocks * 34];
                for (var b = 0; b < blocks; b++)
                {
                    var block = values.Slice(b * 32, 32);
                    var amax = 0f;
                    foreach (var v in block) amax = Math.Max(amax, Math.Abs(v));
                    var d = amax / 127f;
                    var id = d == 0 ? 0 : 1f / d;
                    BinaryPrimitives.WriteHalfLittleEndian(q8.AsSpan(b * 34), (Half)d);
                    for (var j = 0; j < 32; j++)
                        q8[b * 34 + 2 + j] = (byte)(sbyte)Math.Clamp(MathF.Round(block[j] * id), -127, 127);
                }
                return q8;
            default:
                throw new ArgumentException($"Cannot encode {type}.", nameof(type));
        }
    }

    private void Pad(BinaryWriter w)
    {
        w.Flush();
        var pos = w.BaseStream.Position;
        var padding = GgufReader.Align(pos, Alignment) - pos;
        for (var i = 0; i < padding; i++) w.Write((byte)0);
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static void WriteValue(BinaryWriter w, GgufValueType type, object value, GgufValueType? elementType)
    {
        switch (type)
        {
            case GgufValueType.UInt8: w.Write(Convert.ToByte(value)); break;
            case GgufValueType.Int8: w.Write(Convert.ToSByte(value)); break;
            case GgufValueType.UInt16: w.Write(Convert.ToUInt16(value)); break;
            case GgufValueType.Int16: w.Write(Convert.ToInt16(value)); break;
            case GgufValueType.UInt32: w.Write(Convert.ToUInt32(value)); break;
            case GgufValueType.Int32: w.Write(Convert.ToInt32(value)); break;
            case GgufValueType.Float32: w.Write(Convert.ToSingle(value)); break;
            case GgufValueType.UInt64: w.Write(Convert.ToUInt64(value)); break;
            case GgufValueType.Int64: w.Write(Convert.ToInt64(value)); break;
            case GgufValueType.Float64: w.Write(Convert.ToDouble(value)); break;
            case GgufValueType.Bool: w.Write((bool)value ? (byte)1 : (byte)0); break;
            case GgufValueType.String: WriteString(w, (string)value); break;
            case GgufValueType.Array:
                var array = (Array)value;
                var et = elementType ?? throw new ArgumentException("An array value needs an element type.");
                w.Write((uint)et);
                w.Write((ulong)array.Length);
                foreach (var item in array) WriteValue(w, et, item!, null);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }
}
