using Orchestrator.Llama.Gguf;
using Orchestrator.Llama.Native;

namespace Orchestrator.Llama.Tests;

/// <summary>llama.cpp from the LLamaSharp.Backend.Cpu package and generated models in a per-run temp folder.</summary>
internal static class TestModels
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "orchestrator-llama-tests", Environment.ProcessId.ToString());
        Directory.CreateDirectory(dir);
        return dir;
    });

    private static readonly Lazy<string> TinyPath = new(() => Generate("tiny.gguf", TinyModelSpec.Tiny));

    /// <summary>Loads llama.cpp (the package's variant for this CPU).</summary>
    public static void EnsureNative() => LlamaRuntime.EnsureLoaded();

    /// <summary>The default tiny model (generated once per test run).</summary>
    public static string Tiny
    {
        get
        {
            EnsureNative();
            return TinyPath.Value;
        }
    }

    public static string TempFile(string name) => Path.Combine(Folder.Value, $"{Guid.NewGuid():N}-{name}");

    public static string Generate(string name, TinyModelSpec spec)
    {
        var path = TempFile(name);
        TinyModel.Write(path, spec);
        return path;
    }
}
