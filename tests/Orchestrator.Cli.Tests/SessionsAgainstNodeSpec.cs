using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Llama.Gguf;
using Orchestrator.Testing;

namespace Orchestrator.Cli.Tests;

/// <summary><c>orch sessions tail</c> and <c>orch sessions list</c> as processes against a real node (a child process)
/// running the manuscript-review template on a generated tiny model.</summary>
public sealed class SessionsAgainstNodeSpec : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-cli-sessions-").FullName;
    private NodeProcess _node = null!;

    private string Address => $"127.0.0.1:{_node.ApiPort}";

    public async Task InitializeAsync()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        var roles = TinyModelNode.ManuscriptReviewRoles;
        var config = Path.Combine(_dir, "node.conf");
        await File.WriteAllTextAsync(config, $$"""
            {{TinyModelNode.Config(model, roles)}}
            orchestrator.sessions.max-tokens = 1024
            orchestrator.persistence.sqlite.path = {{JsonSerializer.Serialize(Path.Combine(_dir, "cli.db"))}}
            """);
        _node = NodeProcess.Start(_dir, new Dictionary<string, string> { ["ORCH_API_PORT"] = FreePort.Next().ToString() }, "--config", config);
        await _node.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Tail_follows_a_running_session_to_its_end_and_list_shows_it()
    {
        var (started, startOut, startErr) = await OrchProcess.Run(Address, "sessions", "start", "manuscript-review",
            "-i", "MANUSCRIPT=The keeper counted ships.", "--id", "cli-tail-1");
        Assert.True(started == 0, startOut + startErr);

        var (tailed, tail, tailErr) = await OrchProcess.Run(Address, "sessions", "tail", "cli-tail-1");
        Assert.True(tailed == 0, tail + tailErr);
        Assert.Contains("cli-tail-1", tail);
        Assert.Contains("completed", tail);

        var (listed, list, listErr) = await OrchProcess.Run(Address, "sessions", "list", "--status", "completed");
        Assert.True(listed == 0, list + listErr);
        Assert.Contains("cli-tail-1", list);
        Assert.Contains("manuscript-review", list);

        var (unknown, _, _) = await OrchProcess.Run(Address, "sessions", "tail", "nobody");
        Assert.Equal(1, unknown);
    }
}
