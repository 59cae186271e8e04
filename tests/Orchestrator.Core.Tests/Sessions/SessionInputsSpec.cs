using System.Text.Json;
using Orchestrator.Core.Contracts;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Tests.Sessions.SessionFixtures;
using static Orchestrator.Messages.Sessions.SessionCommands;

namespace Orchestrator.Core.Tests.Sessions;

/// <summary>A session's inputs: kept once in its events, filled into each task's prompt when it runs, and held to the
/// node's limit before anything is decided.</summary>
public sealed class SessionInputsSpec
{
    private static readonly WorkflowTemplate Review = new("review",
        [
            new WorkflowNode("a", "analyst", "Read {TEXT} in {LANG}", []),
            new WorkflowNode("b", "analyst", "Again {TEXT}, after {output.a}", ["a"]),
        ],
        SessionSettingsSpec.Empty, [new WorkflowVariable("TEXT", Required: true), new WorkflowVariable("LANG", "en")]);

    private static CommandResult<SessionState> Start(string text) => SessionState.Empty("s1").Decide(
        new StartSession("s1", "review", new Dictionary<string, string> { ["TEXT"] = text }),
        new Dictionary<string, WorkflowTemplate> { ["review"] = Review }, T0);

    [Fact]
    public void An_input_is_in_the_start_events_once_and_in_the_prompt_of_the_task_that_runs()
    {
        var text = new string('x', 10_000);
        var result = Start(text);

        var json = string.Concat(result.Events.Select(e => JsonSerializer.Serialize(e, e.GetType())));
        Assert.Single(json.Split(text)[1..]);
        var dispatch = new TaskDispatched(SessionId.Parse("s1"), TaskId.Parse("a"), 1, "m", T0);
        var assignment = TaskAssignment.For(result.State.Apply(dispatch), dispatch);
        Assert.Equal($"Read {text} in en", assignment.Prompt);
    }

    [Fact]
    public void Inputs_over_the_limit_are_refused_naming_the_limit_and_its_key()
    {
        var state = SessionState.Empty("s1");
        var cmd = new StartSession("s1", "review", new Dictionary<string, string> { ["TEXT"] = "żółw" });

        var refused = Assert.IsType<SessionReplies.SessionRejected>(SessionInputLimit.Refusal(state, cmd, 10)!.Reply);

        Assert.Equal("the session's inputs have 11 bytes together; this node accepts at most 10 (orchestrator.sessions.max-input-size)",
            Assert.Single(refused.Problems));
        Assert.Null(SessionInputLimit.Refusal(state, cmd, 11));
    }
}
