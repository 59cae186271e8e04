using System.Net;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>A running node's <c>/health/ready</c> tells the truth about its journal's database: it answers 503 with the
/// reason within seconds of the database failing, and 200 again once it is back, without a restart.</summary>
public sealed class JournalReadinessSpec : IDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    // Two probe intervals and a probe timeout, with room for a loaded machine.
    private static readonly TimeSpan Detection = TimeSpan.FromSeconds(20);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-ready-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Sqlite_file_that_cannot_be_written_turns_ready_to_503_naming_it_and_back_to_200()
    {
        var file = Path.Combine(_dir, "data", "orchestrator.db");
        await using var node = NodeProcess.Start(_dir, new Dictionary<string, string>
        {
            ["ORCH_SQLITE_PATH"] = file,
            ["ORCH_JOURNAL_PROBE_INTERVAL"] = "500ms",
        });
        await node.WaitUntilReadyAsync(Startup);

        string detail;
        await using (var fault = await UnwritableFile.MakeAsync(file))
        {
            detail = await ReadinessProbe.WaitForAsync(node.ApiPort, HttpStatusCode.ServiceUnavailable,
                d => d.Contains("does not take a write"), Detection, () => $"{fault}\n{node.Transcript}");
        }

        Assert.Contains(file, detail);
        Assert.Contains("failing since", detail);
        await ReadinessProbe.WaitForAsync(node.ApiPort, HttpStatusCode.OK, d => d.Contains("answering"), Detection, () => node.Transcript);
        await node.WaitForLineAsync(l => l.Contains("Node ready again"), Detection);
    }

    [Fact]
    public async Task Stopped_postgresql_turns_ready_to_503_and_back_to_200_when_it_is_back()
    {
        await using var server = await PostgresServer.StartAsync();
        var connection = await server.CreateDatabaseAsync("readiness") + ";Timeout=3;Command Timeout=5";
        await using var node = NodeProcess.Start(_dir, new Dictionary<string, string>
        {
            ["ORCH_PERSISTENCE_PROVIDER"] = "postgresql",
            ["ORCH_POSTGRES_CONNECTION"] = connection,
        });
        await node.WaitUntilReadyAsync(Startup);

        await server.StopAsync();
        var detail = await ReadinessProbe.WaitForAsync(node.ApiPort, HttpStatusCode.ServiceUnavailable,
            d => d.Contains("does not take a write"), Detection, () => node.Transcript);
        Assert.Contains($"PostgreSQL database 'readiness' at 127.0.0.1:{server.Port}", detail);

        await server.StartAgainAsync();
        await ReadinessProbe.WaitForAsync(node.ApiPort, HttpStatusCode.OK, d => d.Contains("answering"), Detection, () => node.Transcript);
    }
}
