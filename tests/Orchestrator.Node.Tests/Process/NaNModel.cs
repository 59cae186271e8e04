using Orchestrator.Llama.Gguf;

namespace Orchestrator.Node.Tests.Process;

/// <summary>The tiny model with every weight NaN: it passes the validator and the probe, loads, and llama.cpp aborts on
/// its first grammar-constrained generation ("Unexpected empty grammar stack after accepting piece").</summary>
internal static class NaNModel
{
    public static void Write(string path)
    {
        TinyModel.Write(path, TinyModelSpec.Tiny);
        var header = GgufReader.Read(path);
        using var file = File.OpenWrite(path);
        file.Position = header.DataOffset;
        var nan = BitConverter.GetBytes(float.NaN);
        for (var at = header.DataOffset; at + 4 <= header.FileLength; at += 4) file.Write(nan);
    }
}
