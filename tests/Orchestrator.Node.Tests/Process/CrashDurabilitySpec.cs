using System.Text.RegularExpressions;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>SIGKILL a node while it persists: every event it acknowledged is there after a restart.</summary>
public sealed partial class CrashDurabilitySpec : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("FULL", false)]
    [InlineData("NORMAL", true)]
    public async Task Every_acknowledged_event_survives_SIGKILL_on_sqlite(string synchronous, bool tagged)
    {
        var env = new Dictionary<string, string>
        {
            ["ORCH_SQLITE_PATH"] = Path.Combine(_dir, "crash.db"),
            ["ORCH_SQLITE_SYNCHRONOUS"] = synchronous,
        };
        string[] write = ["probe-journal", "--id", "crash", "--events", "1000000", "--batch", "7", .. tagged ? new[] { "--tagged" } : []];

        long acknowledged;
        await using (var writer = NodeProcess.Start(_dir, env, write))
        {
            await writer.WaitForLineAsync(l => Acked(l) >= 3000, Deadline);
            writer.Kill();
            Assert.Equal(137, await writer.WaitForExitAsync(Deadline));
            acknowledged = writer.Output.Select(Acked).Max();
        }

        await using var reader = NodeProcess.Start(_dir, env, "probe-journal", "--id", "crash", "--events", "0");
        var state = StateLine().Match(await reader.WaitForLineAsync(l => l.StartsWith("STATE "), Deadline));
        Assert.Equal(0, await reader.WaitForExitAsync(Deadline));

        var count = long.Parse(state.Groups["count"].Value);
        Assert.True(count >= acknowledged, $"{acknowledged} events were acknowledged but only {count} recovered.");
        // Nothing beyond whole atomic batches, no gaps, no duplicates: the numbers are exactly 1..count.
        Assert.Equal(count, long.Parse(state.Groups["max"].Value));
        Assert.Equal(count * (count + 1) / 2, long.Parse(state.Groups["sum"].Value));
        Assert.Equal(count, long.Parse(state.Groups["seq"].Value));
    }

    private static long Acked(string line) => line.StartsWith("ACK ") ? long.Parse(line.AsSpan(4)) : 0;

    [GeneratedRegex(@"^STATE count=(?<count>\d+) sum=(?<sum>\d+) max=(?<max>\d+) last-seq=(?<seq>\d+)$")]
    private static partial Regex StateLine();
}
