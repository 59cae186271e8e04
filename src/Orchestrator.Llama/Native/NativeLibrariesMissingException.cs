namespace Orchestrator.Llama.Native;

/// <summary>llama.cpp's shared libraries are not where the configuration says; the message names the folder searched
/// and the command that installs them.</summary>
public sealed class NativeLibrariesMissingException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The set-up command that installs the prebuilt libraries.</summary>
    public const string InstallCommand = "scripts/install-native.sh";
}
