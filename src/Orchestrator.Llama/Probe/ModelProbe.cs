using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orchestrator.Llama.Gguf;
using Orchestrator.Llama.Processes;

namespace Orchestrator.Llama.Probe;

/// <summary>A first load of a model file not seen before in a child process (the node's own <c>probe-model PATH</c>,
/// see <see cref="ModelProbeCommand"/>), so that a file that makes llama.cpp abort costs that process, not the node.
/// The verdict is cached by the file's identity (size, modification time, hash of its first MiB); a refusal carries
/// the child's last log line (llama.cpp's reason for aborting).</summary>
public sealed class ModelProbe(NodeChildCommand command, string cacheFolder, TimeSpan timeout)
{
    private const int HeaderBytes = 1 << 20;

    /// <summary>The probe that runs the current node again: <c>dotnet NODE.dll probe-model PATH</c>.</summary>
    public static ModelProbe ForNode(string nodeDll, string cacheFolder, TimeSpan timeout) =>
        new(NodeChildCommand.ForNode(nodeDll, "probe-model"), cacheFolder, timeout);

    /// <summary>Where verdicts are cached.</summary>
    public string CacheFolder => cacheFolder;

    /// <summary>How long a first load may take before the model is refused.</summary>
    public TimeSpan Timeout => timeout;

    /// <summary>The verdict for <paramref name="path"/>: from the cache, or from a child process (blocking; call it on
    /// the pool's own thread). Throws <see cref="GgufFormatException"/> when the file cannot be read at all.</summary>
    public ProbeVerdict Check(string path)
    {
        var cacheFile = Path.Combine(cacheFolder, Identity(path) + ".json");
        if (File.Exists(cacheFile))
        {
            try
            {
                if (JsonSerializer.Deserialize<ProbeVerdict>(File.ReadAllText(cacheFile)) is { } cached) return cached;
            }
            catch (JsonException)
            {
                // A damaged cache entry is probed again.
            }
        }
        var verdict = Run(path);
        Directory.CreateDirectory(cacheFolder);
        File.WriteAllText(cacheFile, JsonSerializer.Serialize(verdict));
        return verdict;
    }

    private ProbeVerdict Run(string path)
    {
        using var process = Process.Start(command.StartInfo(false, Path.GetFullPath(path)))
                            ?? throw new InvalidOperationException($"could not start the model probe '{command.FileName}'.");
        var lastError = "";
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (string.IsNullOrWhiteSpace(e.Data)) return;
            lock (errors) lastError = e.Data.Trim();
        };
        process.BeginErrorReadLine();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return new ProbeVerdict(false, $"the first load in a child process did not finish within {timeout.TotalSeconds:F0} s.");
        }
        process.WaitForExit(); // drains the error stream
        string last;
        lock (errors) last = lastError;
        if (process.ExitCode == 0) return new ProbeVerdict(true, output.Result.Trim());
        return new ProbeVerdict(false,
            $"llama.cpp could not load it in a child process, which {NodeChildCommand.DescribeExit(process.ExitCode)}: {(last.Length > 0 ? last : "no log line")}.");
    }

    /// <summary>Size, modification time and a hash of the first MiB, hashed again into a file name.</summary>
    internal static string Identity(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new GgufFormatException(path, "the file does not exist.");
        using var stream = info.OpenRead();
        var head = new byte[(int)Math.Min(HeaderBytes, info.Length)];
        stream.ReadExactly(head);
        var key = $"{info.Length}:{info.LastWriteTimeUtc.Ticks}:{Convert.ToHexString(SHA256.HashData(head))}";
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32].ToLowerInvariant();
    }
}
