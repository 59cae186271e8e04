using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.Cli.Tests;

/// <summary>A running node (a real process) serving one template of two human nodes: an approval with a deadline and
/// a value with a schema.</summary>
public sealed class SignOffNode : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-cli-answer-").FullName;
    private NodeProcess _node = null!;

    private const string SignOff = """
        workflow {
          name = sign-off
          nodes {
            approval { human { ask = "Ship release {VERSION}?", timeout = 24h } }
            pages {
              human {
                ask = "How many pages?"
                answer = value
                schema = "{\"type\": \"object\", \"required\": [\"pages\"], \"properties\": {\"pages\": {\"type\": \"integer\", \"minimum\": 1}}}"
              }
            }
          }
          variables { VERSION { required = true } }
        }
        """;

    public string Address => $"127.0.0.1:{_node.ApiPort}";

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "sign-off.conf"), SignOff);
        _node = NodeProcess.Start(_dir, new Dictionary<string, string>
        {
            ["ORCH_API_PORT"] = FreePort.Next().ToString(),
            ["ORCH_SQLITE_PATH"] = Path.Combine(_dir, "cli.db"),
            ["ORCH_TEMPLATES_PATH"] = _dir,
        });
        await _node.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary><c>orch sessions answer</c> and the questions <c>orch sessions show</c> prints, against a real node: each
/// waiting question with the command that answers it, answers recorded and printed, and the node's refusals printed
/// with exit 1.</summary>
public sealed class SessionAnswerSpec(SignOffNode node) : IClassFixture<SignOffNode>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private string Address => node.Address;

    /// <summary>Starts a sign-off session and waits until both its questions are asked.</summary>
    private async Task Waiting(string id)
    {
        var (started, startOut, startErr) = await InProcessOrch.Run(Address, "sessions", "start", "sign-off", "-i", "VERSION=2.1", "--id", id);
        Assert.True(started == 0, startOut + startErr);
        await Eventually.HoldsAsync(async () =>
        {
            var (_, json, _) = await InProcessOrch.Run(Address, "sessions", "show", id, "--json");
            return JsonDocument.Parse(json).RootElement.GetProperty("tasks").EnumerateArray()
                .All(t => t.GetProperty("state").GetString() == "waiting");
        }, Deadline, () => $"session {id}'s questions asked");
    }

    [Fact]
    public async Task Show_prints_each_waiting_question_and_the_command_that_answers_it_which_runs_at_the_prompt_as_printed()
    {
        await Waiting("show-1");

        var (code, stdout, stderr) = await OrchProcess.Run(Address, "sessions", "show", "show-1");

        Assert.True(code == 0, stdout + stderr);
        var lines = stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains("waiting", lines.Single(l => l.Split('│', '|').ElementAtOrDefault(1)?.Trim() == "approval"));
        Assert.Contains("2 waiting for an answer", lines.Single(l => l.Contains("awaitingAnswer")));
        Assert.Contains("Task approval waits for an answer:", lines);
        Assert.Contains("  Ship release 2.1?", lines);
        Assert.Contains("Expects: approve, or reject with a reason", lines);
        Assert.Contains(lines, l => l.StartsWith("Deadline: ", StringComparison.Ordinal));
        Assert.Contains($"Answer: orch {Address} sessions answer show-1 approval --approve", lines);
        Assert.Contains($"    or: orch {Address} sessions answer show-1 approval --reject REASON", lines);
        Assert.Contains("Task pages waits for an answer:", lines);
        Assert.Contains(lines, l => l.StartsWith("Expects: a JSON value meeting the schema {\"type\": \"object\"", StringComparison.Ordinal));
        Assert.Contains($"Answer: orch {Address} sessions answer show-1 pages --value JSON", lines);

        // The printed command, pasted at the interactive prompt as it is, records the approval.
        var printed = lines.Single(l => l.StartsWith("Answer: orch", StringComparison.Ordinal) && l.EndsWith("--approve", StringComparison.Ordinal));
        var (exit, shell, shellErr) = await OrchProcess.RunWithInput($"{printed["Answer: ".Length..]}\n", Address);
        Assert.True(exit == 0, shell + shellErr);
        Assert.Contains("Recorded: task approval of session show-1 approved", shell);
    }

    [Fact]
    public async Task Approve_and_a_fitting_value_are_recorded_and_printed_and_the_session_completes()
    {
        await Waiting("answer-1");

        var (approved, approveOut, approveErr) = await OrchProcess.Run(Address, "sessions", "answer", "answer-1", "approval", "--approve");
        Assert.True(approved == 0, approveOut + approveErr);
        Assert.Contains("Recorded: task approval of session answer-1 approved", approveOut);
        Assert.Contains("1 waiting for an answer", approveOut.Split('\n').Single(l => l.Contains("awaitingAnswer")));

        var (valued, valueOut, valueErr) = await InProcessOrch.Run(Address, "sessions", "answer", "answer-1", "pages", "--value", """{"pages": 12}""");
        Assert.True(valued == 0, valueOut + valueErr);
        Assert.Contains("""Recorded: task pages of session answer-1 answered {"pages": 12}""", valueOut);
        Assert.DoesNotContain("awaitingAnswer", valueOut);

        await Eventually.HoldsAsync(async () =>
            (await InProcessOrch.Run(Address, "sessions", "show", "answer-1")).Out.Contains("completed"), Deadline, () => "answer-1 completed");
        var (again, againOut, againErr) = await InProcessOrch.Run(Address, "sessions", "answer", "answer-1", "approval", "--reject", "too late");
        Assert.Equal(1, again);
        Assert.Contains("(409)", againErr);
        Assert.Contains("completed", againErr);
        Assert.Equal("", againOut);
    }

    [Fact]
    public async Task A_value_failing_the_schema_prints_the_node_s_detail_and_exits_1_with_nothing_recorded()
    {
        await Waiting("refuse-1");

        var (code, stdout, stderr) = await OrchProcess.Run(Address, "sessions", "answer", "refuse-1", "pages", "--value", """{"pages": 0}""");

        Assert.True(code == 1, $"exit {code}: {stdout}{stderr}");
        Assert.Contains("(400)", stderr);
        Assert.Contains("$.pages must be at least 1", stderr);
        Assert.Equal("", stdout);
        var (_, unknown, unknownErr) = await InProcessOrch.Run(Address, "sessions", "answer", "nobody", "pages", "--approve");
        Assert.Contains("(404)", unknownErr + unknown);
        var (_, shown, _) = await InProcessOrch.Run(Address, "sessions", "show", "refuse-1", "--json");
        Assert.All(JsonDocument.Parse(shown).RootElement.GetProperty("tasks").EnumerateArray(),
            t => Assert.Equal("waiting", t.GetProperty("state").GetString()));
    }
}
