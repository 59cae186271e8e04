using System.Text.Json;

namespace Orchestrator.Cli.Tests;

/// <summary><c>orch sessions show ID</c> prints the session's figures and the task table the node returns with them.</summary>
public sealed class SessionShowSpec
{
    [Fact]
    public async Task Show_prints_every_task_with_its_state_attempts_agent_and_output_or_error()
    {
        var detail = JsonSerializer.Serialize(new
        {
            sessionId = "s-1",
            lifecycle = "running",
            template = "review",
            iteration = 1,
            totalTasks = 3,
            succeeded = 1,
            failed = 0,
            skipped = 0,
            inFlight = 1,
            tokensUsed = 42,
            bestScore = (double?)null,
            endReason = (string?)null,
            createdAt = "2026-11-23T10:00:00Z",
            inputs = new { MANUSCRIPT = "Once." },
            tasks = new object[]
            {
                new { id = "outline", agentRole = "structure-analyst", phase = (string?)null, dependsOn = Array.Empty<string>(), state = "succeeded",
                    attempt = 1, failures = 0, model = "tiny", output = "Three acts.", lastError = (string?)null, agent = "ada" },
                new { id = "edit", agentRole = "editor", phase = (string?)null, dependsOn = new[] { "outline" }, state = "retry_waiting",
                    attempt = 2, failures = 1, model = "tiny", output = (string?)null, lastError = "no JSON in the reply" },
                new { id = "review", agentRole = "reviewer", phase = (string?)null, dependsOn = new[] { "edit" }, state = "pending",
                    attempt = 0, failures = 0, model = (string?)null, output = (string?)null, lastError = (string?)null },
            },
        });
        await using var node = new FakeNode(c => FakeNode.Json(c, detail));

        var (code, stdout, stderr) = await InProcessOrch.Run(node.Address, "sessions", "show", "s-1");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Tasks", stdout);
        var lines = stdout.Split('\n');
        string Row(string task) => lines.Single(l => l.Split('│', '|').ElementAtOrDefault(1)?.Trim() == task);
        Assert.Contains("succeeded", Row("outline"));
        Assert.Contains("Three acts.", Row("outline"));
        Assert.Contains("ada", Row("outline")); // the agent that ran it
        Assert.Contains("retry_waiting", Row("edit"));
        Assert.Contains("no JSON in the reply", Row("edit"));
        Assert.Contains("outline", Row("edit"));
        Assert.Contains("pending", Row("review"));
        Assert.Contains("tokensUsed", stdout);
    }
}
