using LLama.Native;
using Orchestrator.Llama.Files;

namespace Orchestrator.Llama.Native;

/// <summary>Loads llama.cpp once per process through LLamaSharp: the CPU variant (avx512, avx2, avx, noavx) of
/// LLamaSharp.Backend.Cpu that fits this machine, with llama.cpp's log routed to <see cref="LlamaLog"/>.</summary>
public static class LlamaRuntime
{
    private static readonly Lock Gate = new();
    private static string? _variant;

    /// <summary>The native variant loaded (<c>avx512</c>, <c>avx2</c>, <c>avx</c>, <c>noavx</c>, or <c>custom</c> for
    /// libraries found another way), or null before the first load.</summary>
    public static string? Variant => _variant;

    /// <summary>Loads the libraries; <paramref name="searchFolder"/> (<c>orchestrator.llm.native-path</c>), when not
    /// empty, is searched before the application's folder for LLamaSharp's <c>runtimes/&lt;rid&gt;/native/&lt;variant&gt;/</c>
    /// layout. Idempotent: later calls return the variant of the first.</summary>
    public static string EnsureLoaded(string? searchFolder = null)
    {
        lock (Gate)
        {
            if (_variant is not null) return _variant;
            if (!NativeLibraryConfig.LLama.LibraryHasLoaded)
            {
                if (!string.IsNullOrWhiteSpace(searchFolder)) NativeLibraryConfig.All.WithSearchDirectory(ResolveFolder(searchFolder));
                NativeLibraryConfig.All.WithLogCallback(LlamaLog.OnNative);
            }
            try
            {
                // The first call into the binding loads the library, sets the log callback and initialises the backend.
                NativeApi.llama_max_devices();
            }
            catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or LLama.Exceptions.RuntimeError)
            {
                throw new InvalidOperationException(
                    "llama.cpp's libraries from the LLamaSharp.Backend.Cpu package could not be loaded " +
                    $"(orchestrator.llm.native-path = '{searchFolder}'): {(e.InnerException ?? e).Message} " +
                    $"The last llama.cpp log line: {LlamaLog.LastLine ?? "none"}.", e);
            }
            var loaded = NativeApi.GetLoadedNativeLibrary(NativeLibraryName.LLama);
            _variant = loaded?.Metadata is { } m ? AvxName(m.AvxLevel) : "custom";
            return _variant;
        }
    }

    /// <summary>llama.cpp's description of the CPU features it uses.</summary>
    public static string SystemInfo()
    {
        EnsureLoaded();
        return System.Runtime.InteropServices.Marshal.PtrToStringUTF8(NativeApi.llama_print_system_info()) ?? "";
    }

    private static string AvxName(AvxLevel level) => level switch
    {
        AvxLevel.Avx512 => "avx512",
        AvxLevel.Avx2 => "avx2",
        AvxLevel.Avx => "avx",
        _ => "noavx",
    };

    private static string ResolveFolder(string folder)
    {
        if (Path.IsPathRooted(folder)) return folder;
        var root = RepositoryPaths.FindRepositoryRoot();
        return root is not null && Directory.Exists(Path.Combine(root, folder))
            ? Path.Combine(root, folder)
            : Path.Combine(AppContext.BaseDirectory, folder);
    }
}
