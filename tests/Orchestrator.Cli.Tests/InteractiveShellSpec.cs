using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.Cli.Tests;

/// <summary>The interactive prompt as a process: Ctrl-C stops the running command and the prompt goes on, <c>exit</c>
/// leaves with 0, and the greeting says whether the node answers.</summary>
public sealed class InteractiveShellSpec
{
    private static string Status(string lifecycle) =>
        JsonSerializer.Serialize(new { sessionId = "t-1", lifecycle, template = "x", iteration = 1, totalTasks = 2, succeeded = 0, failed = 0, inFlight = 0, tokensUsed = 0 });

    [Fact]
    public async Task Ctrl_C_stops_a_tail_and_the_prompt_runs_the_next_command()
    {
        using var release = new CancellationTokenSource();
        await using var node = new FakeNode(async c =>
        {
            var path = c.Request.Url!.AbsolutePath;
            if (path == "/api/sessions/t-1")
                await FakeNode.Json(c, Status("running"));
            else if (path == "/api/sessions/t-1/events")
            {
                // A session that runs for ever: the stream stays open until the test ends.
                await FakeNode.Events(c, [": open\n\n"]);
                try { await Task.Delay(Timeout.Infinite, release.Token); } catch (OperationCanceledException) { }
            }
            else if (path == "/api/sessions")
                await FakeNode.Json(c, """{"sessions":[],"next":null}""");
            else
                await FakeNode.Json(c, "{}");
        });
        using var orch = new InteractiveOrch(node.Address);

        await orch.TypeAsync("sessions tail t-1");
        await orch.WaitForOutputAsync("Tailing session t-1");
        await orch.InterruptAsync();
        await orch.WaitForOutputAsync("Stopped following; the session goes on. Session t-1 running");
        await orch.TypeAsync("sessions list --json");
        await orch.TypeAsync("exit");
        var code = await orch.EndAsync();
        release.Cancel();

        Assert.True(code == 0, $"exit {code}\n{orch.Out}\n{orch.Err}");
        Assert.Contains("Interrupted.", orch.Err);
        Assert.Contains("GET /api/sessions", node.Requests);
        Assert.Contains("\"sessions\": []", orch.Out);
    }

    [Fact]
    public async Task Ctrl_C_between_commands_leaves_the_prompt_running()
    {
        await using var node = new FakeNode(c => FakeNode.Json(c, """{"sessions":[],"next":null}"""));
        using var orch = new InteractiveOrch(node.Address);

        await orch.WaitForOutputAsync("Connected to");
        await orch.InterruptAsync();
        await orch.WaitForOutputAsync("orch> ^C");
        await orch.TypeAsync("sessions list --json");
        await orch.WaitForOutputAsync("\"sessions\": []");
        await orch.TypeAsync("exit");

        Assert.Equal(0, await orch.EndAsync());
    }

    [Fact]
    public async Task Exit_leaves_with_0_after_a_failed_command_and_exit_N_with_N()
    {
        await using var node = new FakeNode(c => FakeNode.Json(c, """{"title":"Not found","detail":"No session 'nobody'."}""", 404));

        var (code, stdout, stderr) = await OrchProcess.RunWithInput("sessions show nobody\nexit\n", node.Address);
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("nobody", stderr);

        var (chosen, _, _) = await OrchProcess.RunWithInput("exit 4\n", node.Address);
        Assert.Equal(4, chosen);

        // The end of piped input is a script's end: its last command's exit code, as a shell gives.
        var (ended, _, _) = await OrchProcess.RunWithInput("sessions show nobody\n", node.Address);
        Assert.Equal(1, ended);
    }

    [Fact]
    public async Task The_greeting_says_connected_only_when_the_node_answers()
    {
        var (code, stdout, _) = await OrchProcess.RunWithInput("exit\n", $"127.0.0.1:{FreePort.Next()}");
        Assert.Equal(0, code);
        Assert.DoesNotContain("Connected to", stdout);
        Assert.Contains("is not reachable", stdout);
        Assert.Contains("./build.sh node", stdout);

        await using var node = new FakeNode(c => FakeNode.Json(c, """{"status":"live"}"""));
        var (_, greeting, _) = await OrchProcess.RunWithInput("exit\n", node.Address);
        Assert.Contains($"Connected to {node.Address}.", greeting);
        Assert.Contains("GET /health/live", node.Requests);
    }

    [Fact]
    public async Task An_unreachable_node_is_told_to_start_with_build_sh_node()
    {
        var (code, _, stderr) = await OrchProcess.Run($"127.0.0.1:{FreePort.Next()}", "sessions", "list");

        Assert.Equal(3, code);
        Assert.Contains("Start one with ./build.sh node", stderr);
    }
}
