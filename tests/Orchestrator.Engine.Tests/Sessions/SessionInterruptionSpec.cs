using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;
using Orchestrator.Messages.Sessions;
using Xunit.Abstractions;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>A session whose entity dies twice in a row with a task in flight (as a node that crashes on that task's
/// generation would) does not dispatch that task a third time when it recovers: the task fails with the reason, its
/// dependents are skipped, and the rest of the session finishes.</summary>
public sealed class SessionInterruptionSpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_task_in_flight_at_two_crashes_in_a_row_is_given_up_and_the_session_finishes_without_it()
    {
        var (model, log) = ScriptedModels.Start(Sys,
            g => ScriptedModel.TaskOf(g) == "boom" ? new Script.Hang() : new Script.Reply(ScriptedModel.Completion(ScriptedModel.TaskOf(g))),
            $"model-{Guid.NewGuid():N}");
        var template = new WorkflowTemplate("poison",
            [new WorkflowNode("boom", "analyst", "do it", []), new WorkflowNode("fine", "analyst", "do it", []),
             new WorkflowNode("after", "analyst", "then this", new[] { "boom" })], // an array: the test journal's serializer makes one again
            SessionSettingsSpec.Empty, []);
        var session = SessionUnderTest.Start(this, template, model);
        var client = session.Client;

        (await client.StartAsync("s1", "poison", new Dictionary<string, string>())).OrThrow();
        for (var incarnation = 1; incarnation <= 2; incarnation++)
        {
            var dispatched = incarnation;
            await AwaitConditionAsync(() => Task.FromResult(log.CountFor("boom") == dispatched), Deadline);
            await session.CrashAndRecoverAsync(this, incarnation, Deadline); // the next incarnation recovers and steps
        }

        SessionReplies.SessionDetail detail = null!;
        await AwaitAssertAsync(async () =>
        {
            detail = (await client.DetailAsync("s1")).OrThrow();
            Assert.True(detail.Status.Lifecycle.IsFinished(), $"still {detail.Status.Lifecycle}");
        }, Deadline);
        var boom = detail.Tasks.Single(t => t.Id == "boom");
        Assert.Equal(TaskRunState.Failed, boom.State);
        Assert.Contains("in flight when the node stopped", boom.LastError);
        Assert.Equal(2, log.CountFor("boom")); // never a third time
        Assert.Equal(TaskRunState.Skipped, detail.Tasks.Single(t => t.Id == "after").State);
        Assert.Equal(TaskRunState.Succeeded, detail.Tasks.Single(t => t.Id == "fine").State);
    }
}
