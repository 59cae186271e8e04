using System.Diagnostics;

namespace Orchestrator.Llama.Processes;

/// <summary>How the node runs itself again as a child process for one verb (<c>probe-model PATH</c>,
/// <c>model-host</c>): <c>dotnet NODE.dll VERB ...</c>, with the dotnet that runs this process.</summary>
public sealed record NodeChildCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The command that runs <paramref name="nodeDll"/> with <paramref name="verb"/>.</summary>
    public static NodeChildCommand ForNode(string nodeDll, string verb) =>
        new(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet", [nodeDll, verb]);

    /// <summary>Whether <paramref name="nodeDll"/> can be run as a child: a file (not a single-file publish).</summary>
    public static bool CanRun(string? nodeDll) => !string.IsNullOrEmpty(nodeDll) && File.Exists(nodeDll);

    /// <summary>The start information with standard output and error redirected, and standard input when
    /// <paramref name="input"/>; <paramref name="extra"/> follows the verb. The child runs with the workstation GC.</summary>
    public ProcessStartInfo StartInfo(bool input, params IEnumerable<string> extra)
    {
        var start = new ProcessStartInfo(FileName)
        {
            RedirectStandardInput = input,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in Arguments.Concat(extra)) start.ArgumentList.Add(a);
        // A child does little managed work beside llama.cpp: the workstation GC keeps its heap small where the node's
        // server GC would reserve a heap per core.
        start.Environment["DOTNET_gcServer"] = "0";
        return start;
    }

    /// <summary>How a child ended, in words: "exited with 3" or "was killed by signal 6 (SIGABRT)".</summary>
    public static string DescribeExit(int exitCode) => exitCode switch
    {
        // .NET reports a child's death by a signal as 128 + the signal.
        > 128 and < 160 => $"was killed by signal {exitCode - 128}{SignalName(exitCode - 128)}",
        _ => $"exited with {exitCode}",
    };

    private static string SignalName(int signal) => signal switch
    {
        6 => " (SIGABRT)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => "",
    };
}
