using System.Text;

namespace Orchestrator.Llama.Gguf;

/// <summary>Reads a GGUF file's header (metadata and tensor table) and checks its structure: magic, version, value
/// types, counts against the file's size, tensor dimensions and types, every tensor's bytes inside the file, and
/// alignment. <see cref="GgufValidator"/> then checks the model's hyperparameters. Any problem is a
/// <see cref="GgufFormatException"/>; nothing here trusts a count before checking it against the bytes left.</summary>
public static class GgufReader
{
    /// <summary>"GGUF" read as a little-endian uint.</summary>
    public const uint Magic = 0x46554747;
    private const int MaxKeyLength = 65_535;
    private const int MaxDimensions = 4;
    private const long MaxDimension = 1L << 40;

    /// <summary>Reads and checks the header of <paramref name="path"/>.</summary>
    public static GgufFile Read(string path)
    {
        if (!File.Exists(path)) throw new GgufFormatException(path, "the file does not exist.");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return Read(stream, path);
        }
        catch (GgufFormatException) { throw; }
        catch (EndOfStreamException e) { throw new GgufFormatException(path, "the file ends inside its header (truncated).", e); }
        catch (IOException e) { throw new GgufFormatException(path, $"it could not be read: {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new GgufFormatException(path, $"it could not be read: {e.Message}", e); }
    }

    internal static GgufFile Read(Stream stream, string path)
    {
        var length = stream.Length;
        var r = new Cursor(new BinaryReader(stream, Encoding.UTF8, leaveOpen: true), length, path);
        if (length < 24) throw Fail(path, $"it is {length} bytes long, too short for a GGUF header (24 bytes).");
        var magic = r.U32();
        if (magic != Magic)
            throw Fail(path, $"wrong magic 0x{magic:X8} at offset 0 (expected 'GGUF'); this is not a GGUF file.");
        var version = r.U32();
        if (version is not (2 or 3))
            throw Fail(path, $"unsupported GGUF version {version} (supported: 2, 3).");
        var tensorCount = r.U64();
        var kvCount = r.U64();
        // A tensor entry takes at least 8 (name length) + 4 (dims) + 8 (one dim) + 4 (type) + 8 (offset) bytes,
        // a metadata entry at least 8 (key length) + 4 (type) + 1.
        if (tensorCount > (ulong)(r.Remaining / 32))
            throw Fail(path, $"absurd tensor count {tensorCount} for a file of {length} bytes.");
        if (kvCount > (ulong)(r.Remaining / 13))
            throw Fail(path, $"absurd metadata count {kvCount} for a file of {length} bytes.");

        var metadata = new Dictionary<string, GgufValue>(StringComparer.Ordinal);
        for (ulong i = 0; i < kvCount; i++)
        {
            var at = r.Position;
            var key = r.String(MaxKeyLength, "metadata key");
            if (key.Length == 0) throw Fail(path, $"metadata entry {i} at offset {at} has an empty key.");
            var type = r.U32();
            var value = ReadValue(r, type, key, depth: 0);
            if (!metadata.TryAdd(key, value)) throw Fail(path, $"metadata key '{key}' appears twice.");
        }

        var alignment = 32;
        if (metadata.TryGetValue("general.alignment", out var al))
        {
            if (al.Type != GgufValueType.UInt32)
                throw Fail(path, $"general.alignment has type {al.Type}; expected UInt32.");
            var a = (uint)al.Value;
            if (a == 0 || (a & (a - 1)) != 0 || a > 1 << 20)
                throw Fail(path, $"general.alignment {a} is not a power of two up to 1 MiB.");
            alignment = (int)a;
        }

        var tensors = new List<GgufTensorInfo>((int)tensorCount);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (ulong i = 0; i < tensorCount; i++)
        {
            var name = r.String(MaxKeyLength, "tensor name");
            if (!names.Add(name)) throw Fail(path, $"tensor '{name}' appears twice.");
            var nDims = r.U32();
            if (nDims is 0 or > MaxDimensions)
                throw Fail(path, $"tensor '{name}' has {nDims} dimensions (1 to {MaxDimensions} allowed).");
            var dims = new long[nDims];
            long elements = 1;
            for (var d = 0; d < nDims; d++)
            {
                var dim = r.U64();
                if (dim == 0 || dim > MaxDimension)
                    throw Fail(path, $"tensor '{name}' has absurd dimension {d} = {dim}.");
                dims[d] = (long)dim;
                if (elements > long.MaxValue / (long)dim)
                    throw Fail(path, $"tensor '{name}' has more elements than fit in 64 bits.");
                elements *= (long)dim;
            }
            var rawType = r.U32();
            var info = GgmlTypeInfo.Of(rawType)
                       ?? throw Fail(path, $"tensor '{name}' has unsupported or unknown ggml type {rawType}.");
            if (dims[0] % info.BlockSize != 0)
                throw Fail(path, $"tensor '{name}' of type {(GgmlType)rawType} has a first dimension {dims[0]} that is not a multiple of its block size {info.BlockSize}.");
            var offset = r.U64();
            if (offset > (ulong)length) throw Fail(path, $"tensor '{name}' has offset {offset} past the end of the file.");
            if (offset % (ulong)alignment != 0)
                throw Fail(path, $"tensor '{name}' offset {offset} is not aligned to {alignment} bytes.");
            tensors.Add(new GgufTensorInfo(name, dims, (GgmlType)rawType, (long)offset));
        }

        var dataOffset = Align(r.Position, alignment);
        if (tensorCount > 0 && dataOffset > length)
            throw Fail(path, $"the tensor data section would start at {dataOffset}, past the end of the file ({length} bytes): truncated.");
        foreach (var t in tensors)
        {
            var end = dataOffset + t.Offset + t.ByteSize;
            if (t.ByteSize < 0 || end > length || end < 0)
                throw Fail(path, $"tensor '{t.Name}' ({t.Type}, [{string.Join(", ", t.Dimensions)}]) needs bytes up to {end}, " +
                                 $"past the end of the file ({length} bytes): truncated or corrupt.");
        }
        CheckOverlaps(path, tensors);
        return new GgufFile(path, version, metadata, tensors, alignment, dataOffset, length);
    }

    private static void CheckOverlaps(string path, List<GgufTensorInfo> tensors)
    {
        var sorted = tensors.OrderBy(t => t.Offset).ToList();
        for (var i = 1; i < sorted.Count; i++)
            if (sorted[i - 1].Offset + sorted[i - 1].ByteSize > sorted[i].Offset)
                throw Fail(path, $"tensors '{sorted[i - 1].Name}' and '{sorted[i].Name}' overlap.");
    }

    private static GgufValue ReadValue(Cursor r, uint type, string key, int depth)
    {
        switch ((GgufValueType)type)
        {
            case GgufValueType.UInt8: return new(GgufValueType.UInt8, r.Bytes(1)[0]);
            case GgufValueType.Int8: return new(GgufValueType.Int8, (sbyte)r.Bytes(1)[0]);
            case GgufValueType.UInt16: return new(GgufValueType.UInt16, r.Need(2).ReadUInt16());
            case GgufValueType.Int16: return new(GgufValueType.Int16, r.Need(2).ReadInt16());
            case GgufValueType.UInt32: return new(GgufValueType.UInt32, r.U32());
            case GgufValueType.Int32: return new(GgufValueType.Int32, r.Need(4).ReadInt32());
            case GgufValueType.Float32: return new(GgufValueType.Float32, r.Need(4).ReadSingle());
            case GgufValueType.UInt64: return new(GgufValueType.UInt64, r.U64());
            case GgufValueType.Int64: return new(GgufValueType.Int64, r.Need(8).ReadInt64());
            case GgufValueType.Float64: return new(GgufValueType.Float64, r.Need(8).ReadDouble());
            case GgufValueType.Bool:
                var b = r.Bytes(1)[0];
                if (b > 1) throw Fail(r.Path, $"metadata '{key}' is a bool with value {b}.");
                return new(GgufValueType.Bool, b == 1);
            case GgufValueType.String: return new(GgufValueType.String, r.String(int.MaxValue, $"value of '{key}'"));
            case GgufValueType.Array:
                if (depth > 0) throw Fail(r.Path, $"metadata '{key}' nests arrays inside arrays.");
                var elementType = r.U32();
                if (elementType > (uint)GgufValueType.Float64 || elementType == (uint)GgufValueType.Array)
                    throw Fail(r.Path, $"metadata '{key}' is an array of unknown type {elementType}.");
                var count = r.U64();
                var minSize = (GgufValueType)elementType switch
                {
                    GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1UL,
                    GgufValueType.UInt16 or GgufValueType.Int16 => 2UL,
                    GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4UL,
                    _ => 8UL,
                };
                if (count > (ulong)r.Remaining / minSize || count > int.MaxValue)
                    throw Fail(r.Path, $"metadata '{key}' claims {count} elements, more than the {r.Remaining} bytes left can hold: truncated or corrupt.");
                return new(GgufValueType.Array, ReadArray(r, (GgufValueType)elementType, (int)count, key), (GgufValueType)elementType);
            default:
                throw Fail(r.Path, $"metadata '{key}' has unknown value type {type}.");
        }
    }

    private static Array ReadArray(Cursor r, GgufValueType type, int count, string key)
    {
        switch (type)
        {
            case GgufValueType.String:
                var s = new string[count];
                for (var i = 0; i < count; i++) s[i] = r.String(int.MaxValue, $"element {i} of '{key}'");
                return s;
            case GgufValueType.Float32:
                var f = new float[count];
                r.Need(4L * count);
                for (var i = 0; i < count; i++) f[i] = r.Reader.ReadSingle();
                return f;
            case GgufValueType.Int32:
                var n = new int[count];
                r.Need(4L * count);
                for (var i = 0; i < count; i++) n[i] = r.Reader.ReadInt32();
                return n;
            default:
                var values = new object[count];
                for (var i = 0; i < count; i++) values[i] = ReadValue(r, (uint)type, key, 1).Value;
                return values;
        }
    }

    internal static long Align(long position, int alignment) => (position + alignment - 1) / alignment * alignment;

    private static GgufFormatException Fail(string path, string reason) => new(path, reason);

    /// <summary>A reader that checks every length against the bytes left before reading.</summary>
    private sealed class Cursor(BinaryReader reader, long length, string path)
    {
        public BinaryReader Reader { get; } = reader;
        public string Path { get; } = path;
        public long Position => Reader.BaseStream.Position;
        public long Remaining => length - Position;

        public BinaryReader Need(long bytes)
        {
            if (bytes > Remaining)
                throw Fail(Path, $"the file ends at {length} bytes, inside its header at offset {Position} (needed {bytes} more): truncated.");
            return Reader;
        }

        public uint U32() => Need(4).ReadUInt32();
        public ulong U64() => Need(8).ReadUInt64();
        public byte[] Bytes(int n) => Need(n).ReadBytes(n);

        public string String(int maxLength, string what)
        {
            var at = Position;
            var len = U64();
            if (len > (ulong)Remaining || len > (ulong)maxLength)
                throw Fail(Path, $"{what} at offset {at} claims a length of {len} bytes ({Remaining} left).");
            var bytes = Reader.ReadBytes((int)len);
            try
            {
                return Strict.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw Fail(Path, $"{what} at offset {at} is not valid UTF-8.");
            }
        }

        private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);
    }
}
