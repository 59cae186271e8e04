using System.Globalization;
using System.Text.RegularExpressions;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>The README's main job (<c>./build.sh run</c> execs the node's <c>demo</c> command) runs to completion, its
/// console shows the demo, and the node's logs go to the file it names (or, with <c>--verbose</c>, to the console).</summary>
public sealed partial class DemoSpec : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string> Environment() => new()
    {
        ["ORCH_TEMPLATES_PATH"] = Path.Combine(RepositoryRoot.Path, "config", "workflows"),
        ["ORCH_LLM_NATIVE_PATH"] = Path.Combine(RepositoryRoot.Path, "native"),
        ["ORCH_SQLITE_PATH"] = Path.Combine(_dir, "demo.db"),
    };

    private static string Manuscript => Path.Combine(RepositoryRoot.Path, "config", "samples", "manuscript.txt");

    /// <summary>What the shell does before it execs the node (as ./build.sh's build does): a fixed time, so the node's
    /// own start is known to be at least this long after the process's.</summary>
    private static readonly TimeSpan ShellWork = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Demo_console_shows_progress_result_and_figures_and_the_node_logs_go_to_the_file_it_names()
    {
        // As ./build.sh run starts it: a shell does some work first (there, the build), then execs the node in its place.
        await using var demo = NodeProcess.StartAfterShell(_dir, $"sleep {ShellWork.TotalSeconds:0}; echo exec", Environment(),
            "demo", "--manuscript", Manuscript);

        Assert.True(await demo.WaitForExitAsync(TimeSpan.FromMinutes(5)) == 0, demo.Transcript);
        var console = demo.Output.ToList();
        var output = string.Join('\n', console);
        Assert.Contains("making a tiny random-weight llama model", output);
        Assert.Contains("✓ quality-score", output);
        Assert.Contains("Session completed.", output);
        Assert.Matches(@"Figures: \d+ tasks succeeded, 0 failed", output);
        Assert.Contains("./orch sessions show demo-", output);
        Assert.True(File.Exists(Path.Combine(_dir, "models", "tiny.gguf")));

        // No log lines on the console (Akka's nor the node's), and no warning.
        Assert.DoesNotContain(console, l => LogLine().IsMatch(l) || AkkaPrefix().IsMatch(l));
        Assert.DoesNotContain(console, l => l.Contains("WARNING") || l.Contains("[WARN") || l.Contains("warn:"));

        // The file it names holds the node's logs, Akka's among them, one format, no warning nor error.
        var named = LogFileNamed().Match(output);
        Assert.True(named.Success, output);
        var logFile = named.Groups["file"].Value;
        Assert.StartsWith(Path.Combine(_dir, "data", "logs") + Path.DirectorySeparatorChar, logFile);
        var log = File.ReadAllLines(logFile);
        Assert.Contains(log, l => l.Contains("Orchestrator node ready in"));
        Assert.Contains(log, l => l.Contains("Cluster Node [") && l.Contains("Up"));
        Assert.Contains(log, l => l.Contains("Session demo-") && l.Contains("Completed"));
        Assert.All(log, l => Assert.Matches(LogLine(), l));
        Assert.DoesNotContain(log, l => AkkaPrefix().IsMatch(l));
        Assert.DoesNotContain(log, l => l.Contains(" warn: ") || l.Contains(" fail: ") || l.Contains(" crit: "));

        // The ready time counts from the node's own start, not the shell's work before exec: less than the time from the
        // process's start to the ready line less that work. (The line's arrival can only be late, never early, so a
        // loaded machine cannot fail this; a ready time counted from the process's start would exceed it by the work.)
        var ready = demo.TimedOutput.First(l => ReadyIn().IsMatch(l.Text));
        var readyMs = double.Parse(ReadyIn().Match(ready.Text).Groups["ms"].Value, CultureInfo.InvariantCulture);
        Assert.True(readyMs < (ready.At - ShellWork).TotalMilliseconds,
            $"printed {ready.Text}, but only {(ready.At - ShellWork).TotalMilliseconds:0} ms passed from exec to that line\n{demo.Transcript}");
    }

    [Fact]
    public async Task Demo_with_verbose_puts_the_node_logs_on_the_console_in_one_format()
    {
        await using var demo = NodeProcess.Start(_dir, Environment(), "demo", "--verbose", "--manuscript", Manuscript);

        // The session actor's own log line: Akka's logs reach the console once the session runs.
        await demo.WaitForLineAsync(l => l.Contains("started from template manuscript-review"), TimeSpan.FromMinutes(2));
        var logs = demo.Output.Where(l => LogLine().IsMatch(l)).ToList();
        Assert.Contains(logs, l => l.Contains("Cluster Node [") && l.Contains("Up"));
        Assert.Contains(logs, l => l.Contains("Orchestrator node ready in"));
        Assert.DoesNotContain(demo.Output, l => AkkaPrefix().IsMatch(l));
        Assert.DoesNotContain(logs, l => l.Contains(" warn: ") || l.Contains(" fail: "));
        Assert.Contains(demo.Output, l => l.StartsWith("Starting session demo-"));
        Assert.False(Directory.Exists(Path.Combine(_dir, "data", "logs")), "--verbose writes no log file");
    }

    /// <summary>A log line in the node's one format: <c>HH:mm:ss.fff level: Category[event] message</c>.</summary>
    [GeneratedRegex(@"^\d\d:\d\d:\d\d\.\d{3} (trce|dbug|info|warn|fail|crit): [^\s\[]+\[\d+\] ")]
    private static partial Regex LogLine();

    /// <summary>Akka's own line head, <c>[INFO][date][Thread n]</c>, which the node's format must not repeat.</summary>
    [GeneratedRegex(@"\[(DEBUG|INFO|WARNING|ERROR)\]\[[^\]]*\]\[Thread \d+\]")]
    private static partial Regex AkkaPrefix();

    [GeneratedRegex(@"logs go to (?<file>\S+\.log)")]
    private static partial Regex LogFileNamed();

    [GeneratedRegex(@"ready in (?<ms>\d+) ms")]
    private static partial Regex ReadyIn();
}
