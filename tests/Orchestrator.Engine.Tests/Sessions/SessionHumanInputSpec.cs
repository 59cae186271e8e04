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
using static Orchestrator.Core.Models.ModelMessages;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>A session with a human node on the path users take: the question is persisted and waits with no worker
/// while other branches go on, it survives a crash of its entity, is answered after recovery (refusals change nothing),
/// and a deadline that passed while the entity was down, or while the session was paused, applies the default action at
/// once (at the resume, with another task still in flight).</summary>
public sealed class SessionHumanInputSpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    private static WorkflowTemplate Approval(string? onTimeout = null) => new("approval",
        [
            new WorkflowNode("draft", "analyst", "Draft it", []),
            new WorkflowNode("review", "", "Approve? {output.draft}", ["draft"],
                Human: new HumanInputSpec(HumanAnswerKind.Approve, Timeout: TimeSpan.FromHours(1), OnTimeout: onTimeout)),
            new WorkflowNode("final", "writer", "Publish after {output.review}", ["review"]),
            new WorkflowNode("side", "analyst", "Meanwhile", []),
        ],
        SessionSettingsSpec.Empty, []);

    private (IActorRef Session, OrchestratorClient Client, ScriptedModel.Log Log) Start(WorkflowTemplate template, Func<Generate, Script>? script = null)
    {
        var (model, log) = ScriptedModels.Start(Sys, script ?? (g => new Script.Reply(ScriptedModel.Completion(ScriptedModel.TaskOf(g)))),
            $"model-{Guid.NewGuid():N}");
        var feed = new LiveFeed<SessionLiveEvent>();
        var runtime = new SessionRuntime(new Dictionary<string, WorkflowTemplate> { [template.Name] = template }, model,
            Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(16))), feed, Clock: () => _now);
        var session = Sys.ActorOf(PassivatingParent.Props(SessionCoordinator.Props("s1", runtime), TestActor));
        return (session, new OrchestratorClient(session, feed, TimeSpan.FromSeconds(5)), log);
    }

    private async Task<SessionDetail> AwaitDetail(OrchestratorClient client, Action<SessionDetail> check)
    {
        SessionDetail? detail = null;
        await AwaitAssertAsync(async () =>
        {
            detail = (await client.DetailAsync("s1")).OrThrow();
            check(detail);
        }, Deadline, TimeSpan.FromMilliseconds(20));
        return detail!;
    }

    private static TaskView Task(SessionDetail d, string id) => d.Tasks.Single(t => t.Id == id);

    private async Task Crash(IActorRef session, OrchestratorClient client)
    {
        Sys.ActorSelection(session.Path / "entity-1").Tell(Kill.Instance);
        ExpectMsg<PassivatingParent.EntityStopped>(Deadline);
        (await client.StatusAsync("s1")).OrThrow(); // wakes the next incarnation: it recovers from the journal
    }

    [Fact]
    public async Task A_waiting_question_survives_a_crash_and_its_answer_after_recovery_finishes_the_session()
    {
        var (session, client, log) = Start(Approval());
        (await client.StartAsync("s1", "approval", new Dictionary<string, string>())).OrThrow();

        var waiting = await AwaitDetail(client, d =>
        {
            Assert.Equal(TaskRunState.Waiting, Task(d, "review").State);
            Assert.Equal(TaskRunState.Succeeded, Task(d, "side").State); // other branches go on
        });
        Assert.Equal(SessionLifecycle.Running, waiting.Status.Lifecycle);
        Assert.Contains("Approve? ", Task(waiting, "review").Question!.Text);
        Assert.DoesNotContain(log.Requests, g => ScriptedModel.TaskOf(g) == "review");

        await Crash(session, client);
        var recovered = (await client.DetailAsync("s1")).OrThrow();
        Assert.Equal(TaskRunState.Waiting, Task(recovered, "review").State);
        Assert.Equal(Task(waiting, "review").Question, Task(recovered, "review").Question);

        var wrong = await client.AnswerAsync(new AnswerHumanInput("s1", "review", Value: "1"));
        Assert.False(wrong.Rejected!.Conflict);
        var notHuman = await client.AnswerAsync(new AnswerHumanInput("s1", "draft", Approve: true));
        Assert.True(notHuman.Rejected!.Conflict);
        Assert.Equal(TaskRunState.Waiting, Task((await client.DetailAsync("s1")).OrThrow(), "review").State);

        (await client.AnswerAsync(new AnswerHumanInput("s1", "review", Approve: true))).OrThrow();

        var done = await AwaitDetail(client, d => Assert.Equal(SessionLifecycle.Completed, d.Status.Lifecycle));
        Assert.Equal("approved", Task(done, "review").Output);
        Assert.Contains("Publish after approved", log.Requests.Single(g => ScriptedModel.TaskOf(g) == "final").Prompt);
        var again = await client.AnswerAsync(new AnswerHumanInput("s1", "review", Approve: true));
        Assert.True(again.Rejected!.Conflict);
    }

    [Fact]
    public async Task A_deadline_that_passed_while_the_session_was_down_applies_the_default_action_at_once()
    {
        var (session, client, log) = Start(Approval(onTimeout: HumanInputSpec.ApproveAction));
        (await client.StartAsync("s1", "approval", new Dictionary<string, string>())).OrThrow();
        await AwaitDetail(client, d => Assert.Equal(TaskRunState.Waiting, Task(d, "review").State));

        _now += TimeSpan.FromHours(2); // the node is down past the question's deadline
        await Crash(session, client);

        var done = await AwaitDetail(client, d => Assert.Equal(SessionLifecycle.Completed, d.Status.Lifecycle));
        Assert.Equal("approved", Task(done, "review").Output);
        Assert.Contains(log.Requests, g => ScriptedModel.TaskOf(g) == "final");
    }

    [Fact]
    public async Task A_deadline_that_passed_while_the_session_was_paused_applies_at_once_when_it_resumes()
    {
        var side = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (_, client, log) = Start(Approval(onTimeout: HumanInputSpec.ApproveAction), g => ScriptedModel.TaskOf(g) == "side"
            ? new Script.Deferred(side.Task)
            : new Script.Reply(ScriptedModel.Completion(ScriptedModel.TaskOf(g))));
        (await client.StartAsync("s1", "approval", new Dictionary<string, string>())).OrThrow();
        await AwaitDetail(client, d =>
        {
            Assert.Equal(TaskRunState.Waiting, Task(d, "review").State);
            Assert.Equal(TaskRunState.Dispatched, Task(d, "side").State); // still in flight: its report would step the session
        });
        (await client.PauseAsync("s1")).OrThrow();

        _now += TimeSpan.FromHours(2); // the deadline passes while the session is paused
        (await client.StatusAsync("s1")).OrThrow();
        Assert.Equal(TaskRunState.Waiting, Task((await client.DetailAsync("s1")).OrThrow(), "review").State);
        (await client.ResumeAsync("s1")).OrThrow();

        var answered = await AwaitDetail(client, d => Assert.Equal(TaskRunState.Succeeded, Task(d, "review").State));
        Assert.Equal("approved", Task(answered, "review").Output);
        Assert.Equal(TaskRunState.Dispatched, Task(answered, "side").State);
        side.SetResult(ScriptedModel.Completion("side"));
        await AwaitDetail(client, d => Assert.Equal(SessionLifecycle.Completed, d.Status.Lifecycle));
        Assert.Contains(log.Requests, g => ScriptedModel.TaskOf(g) == "final");
    }
}
