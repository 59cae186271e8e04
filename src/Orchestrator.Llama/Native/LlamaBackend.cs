using System.Reflection;
using System.Runtime.InteropServices;

namespace Orchestrator.Llama.Native;

/// <summary>Loads llama.cpp once per process: resolves the binding's library names to the configured folder, loads
/// <c>libggml-base</c>, <c>libggml</c>, <c>libllama</c>, then the CPU (and GPU) variants with
/// <c>ggml_backend_load_all_from_path</c>, routes llama.cpp's log to <see cref="LlamaLog"/>, and initialises the backend.</summary>
public static class LlamaBackend
{
    private static readonly Lock Gate = new();
    private static string? _folder;
    private static bool _resolverSet;
    private static readonly Dictionary<string, nint> Handles = new(StringComparer.Ordinal);

    /// <summary>The folder the libraries were loaded from, once loaded.</summary>
    public static string? LibraryFolder => _folder;

    /// <summary>Loads the libraries from <paramref name="nativePath"/> (see <c>orchestrator.llm.native-path</c>).
    /// Idempotent: later calls return the folder of the first. Throws <see cref="NativeLibrariesMissingException"/>
    /// when the libraries are not there.</summary>
    public static string EnsureLoaded(string nativePath = "native")
    {
        lock (Gate)
        {
            if (_folder is not null) return _folder;
            var folder = NativeLibraryLocator.FindLibraryFolder(nativePath);
            try
            {
                foreach (var name in new[] { LlamaNative.GgmlBase, LlamaNative.Ggml, LlamaNative.Llama })
                    Handles[name] = NativeLibrary.Load(NativeLibraryLocator.FindLibrary(folder, name)!);
            }
            catch (DllNotFoundException e)
            {
                throw new NativeLibrariesMissingException(
                    $"llama.cpp's libraries in '{folder}' could not be loaded ({e.Message}). Reinstall them with " +
                    $"'{NativeLibrariesMissingException.InstallCommand}'.", e);
            }
            if (!_resolverSet)
            {
                NativeLibrary.SetDllImportResolver(typeof(LlamaBackend).Assembly, Resolve);
                _resolverSet = true;
            }
            LlamaLog.Install();
            LlamaNative.GgmlBackendLoadAllFromPath(folder);
            if (LlamaNative.GgmlBackendDevCount() == 0)
                throw new NativeLibrariesMissingException(
                    $"No ggml backend (CPU variant) could be loaded from '{folder}'. Reinstall with " +
                    $"'{NativeLibrariesMissingException.InstallCommand}'.");
            LlamaNative.BackendInit();
            _folder = folder;
            return folder;
        }
    }

    /// <summary>llama.cpp's description of the CPU features it uses.</summary>
    public static unsafe string SystemInfo() => LlamaNative.PtrToString(LlamaNative.PrintSystemInfo()) ?? "";

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        Handles.TryGetValue(name, out var handle) ? handle : nint.Zero;
}
