using Akka.Actor;
using Akka.Event;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Tests.Support;
using Orchestrator.Messages.Sessions;
using Xunit.Abstractions;
using static Orchestrator.Messages.Sessions.SessionReplies;
using static Orchestrator.Messages.Sessions.SessionSubscriptions;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>An actor subscribed to a session hears from the session itself: its picture, a notice for each task a write
/// changed, and its end with every output; an unsubscribed one hears nothing more, and asking about an unknown session
/// is answered not found with nothing created.</summary>
public sealed class SessionSubscriptionSpec(ITestOutputHelper output) : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static readonly WorkflowTemplate Chain = new("chain",
        [new WorkflowNode("read", "analyst", "read it", []), new WorkflowNode("write", "analyst", "write it", new[] { "read" })],
        SessionSettingsSpec.Empty, []);

    /// <summary>The session, its first task held until <paramref name="gate"/> completes.</summary>
    private SessionUnderTest Start(TaskCompletionSource<string> gate)
    {
        var (model, _) = ScriptedModels.Start(Sys, g => ScriptedModel.TaskOf(g) == "read"
            ? new Script.Deferred(gate.Task)
            : new Script.Reply(ScriptedModel.Completion(ScriptedModel.TaskOf(g))), $"model-{Guid.NewGuid():N}");
        return SessionUnderTest.Start(this, Chain, model);
    }

    [Fact]
    public async Task A_subscriber_gets_the_picture_each_changed_task_and_the_end_with_every_output_from_the_session()
    {
        var gate = new TaskCompletionSource<string>();
        var session = Start(gate);
        (await session.Client.StartAsync(SessionUnderTest.Id, "chain", new Dictionary<string, string>())).OrThrow();
        var subscriber = CreateTestProbe();

        session.Session.Tell(new SubscribeToSession(SessionUnderTest.Id), subscriber);
        var subscribed = subscriber.ExpectMsg<SessionSubscribed>(Deadline);
        Assert.Equal(["read", "write"], subscribed.Detail.Tasks.Select(t => t.Id));
        Assert.StartsWith("entity-", subscriber.LastSender.Path.Name); // the session itself: what a subscriber watches
        gate.SetResult(ScriptedModel.Completion("read", "read well"));

        var changes = new List<TaskChanged>();
        var ended = (SessionEnded)subscriber.FishForMessage(m =>
        {
            if (m is TaskChanged changed) changes.Add(changed);
            return m is SessionEnded;
        }, Deadline);

        Assert.Contains(changes, c => c.Task is { Id: "read", State: TaskRunState.Succeeded });
        Assert.Contains(changes, c => c.Task is { Id: "write", State: TaskRunState.Dispatched });
        Assert.Equal(TaskRunState.Succeeded, changes.Last(c => c.Task.Id == "write").Task.State);
        Assert.Equal(SessionLifecycle.Completed, ended.Detail.Status.Lifecycle);
        Assert.All(ended.Detail.Tasks, t => Assert.False(string.IsNullOrEmpty(t.Output)));
        Assert.Equal((await session.Client.DetailAsync(SessionUnderTest.Id)).OrThrow().Tasks, ended.Detail.Tasks,
            (a, b) => a.Id == b.Id && a.State == b.State && a.Output == b.Output);
    }

    [Fact]
    public async Task An_unsubscribed_actor_hears_nothing_more_and_subscribing_to_an_ended_session_gives_its_end_at_once()
    {
        var gate = new TaskCompletionSource<string>();
        var session = Start(gate);
        (await session.Client.StartAsync(SessionUnderTest.Id, "chain", new Dictionary<string, string>())).OrThrow();
        var (leaving, staying) = (CreateTestProbe(), CreateTestProbe());
        session.Session.Tell(new SubscribeToSession(SessionUnderTest.Id), leaving);
        session.Session.Tell(new SubscribeToSession(SessionUnderTest.Id), staying);
        leaving.ExpectMsg<SessionSubscribed>(Deadline);
        staying.ExpectMsg<SessionSubscribed>(Deadline);

        session.Session.Tell(new UnsubscribeFromSession(SessionUnderTest.Id), leaving);
        (await session.Client.StatusAsync(SessionUnderTest.Id)).OrThrow(); // the unsubscription is behind it
        while (leaving.HasMessages) Assert.IsType<TaskChanged>(leaving.ReceiveOne(TimeSpan.Zero)); // the first dispatch, before
        gate.SetResult(ScriptedModel.Completion("read"));
        staying.FishForMessage(m => m is SessionEnded, Deadline);
        (await session.Client.StatusAsync(SessionUnderTest.Id)).OrThrow(); // it has sent every notice of that write
        leaving.ExpectNoMsg(TimeSpan.Zero);

        var late = CreateTestProbe();
        session.Session.Tell(new SubscribeToSession(SessionUnderTest.Id), late);
        late.ExpectMsg<SessionSubscribed>(Deadline);
        Assert.Equal(SessionLifecycle.Completed, late.ExpectMsg<SessionEnded>(Deadline).Detail.Status.Lifecycle);
    }

    [Fact]
    public async Task A_subscriber_that_stops_is_forgotten_and_sent_nothing_more()
    {
        var gate = new TaskCompletionSource<string>();
        var session = Start(gate);
        (await session.Client.StartAsync(SessionUnderTest.Id, "chain", new Dictionary<string, string>())).OrThrow();
        var (gone, staying, deadLetters) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        Sys.EventStream.Subscribe(deadLetters.Ref, typeof(DeadLetter));
        session.Session.Tell(new SubscribeToSession(SessionUnderTest.Id), gone);
        session.Session.Tell(new SubscribeToSession(SessionUnderTest.Id), staying);
        gone.ExpectMsg<SessionSubscribed>(Deadline);
        staying.ExpectMsg<SessionSubscribed>(Deadline);

        Watch(gone.Ref);
        Sys.Stop(gone.Ref);
        ExpectTerminated(gone.Ref, Deadline);
        // The session heard of it before it answers twice more: its Terminated is queued by the first answer at the latest.
        for (var i = 0; i < 2; i++) (await session.Client.StatusAsync(SessionUnderTest.Id)).OrThrow();
        gate.SetResult(ScriptedModel.Completion("read"));
        staying.FishForMessage(m => m is SessionEnded, Deadline);
        (await session.Client.StatusAsync(SessionUnderTest.Id)).OrThrow(); // it has sent every notice of that write

        var toGone = new List<object>();
        while (deadLetters.HasMessages)
            if (deadLetters.ReceiveOne(TimeSpan.Zero) is DeadLetter d && d.Recipient.Equals(gone.Ref)) toGone.Add(d.Message);
        Assert.Empty(toGone);
    }

    [Fact]
    public void Subscribing_to_or_unsubscribing_from_an_unknown_session_is_answered_not_found_and_creates_nothing()
    {
        var session = Start(new TaskCompletionSource<string>());

        session.Session.Tell(new SubscribeToSession(SessionUnderTest.Id), TestActor);
        Assert.Equal(SessionUnderTest.Id, ExpectMsg<SessionNotFound>(Deadline).SessionId);
        ExpectMsg<PassivatingParent.EntityStopped>(Deadline);

        session.Session.Tell(new UnsubscribeFromSession(SessionUnderTest.Id), TestActor);
        Assert.Equal(SessionUnderTest.Id, ExpectMsg<SessionNotFound>(Deadline).SessionId);
        ExpectMsg<PassivatingParent.EntityStopped>(Deadline);
    }
}
