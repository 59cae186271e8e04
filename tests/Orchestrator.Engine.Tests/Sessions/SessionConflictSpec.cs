using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Streams;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Ids;
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
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>Tasks of a session that declare overlapping resources never run at the same time, while the others still
/// run in parallel; each conflict is recorded as an event with how it was resolved.</summary>
public sealed class SessionConflictSpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Tasks_with_overlapping_resources_never_overlap_in_time()
    {
        var template = new WorkflowTemplate("edits",
        [
            new WorkflowNode("edit-a", "coder", "edit a", [], Priority: 1, Resources: ["file:src/a.cs"]),
            new WorkflowNode("edit-src", "coder", "edit src", [], Priority: 3, Resources: ["file:src/"]),
            new WorkflowNode("edit-cs", "coder", "edit cs", [], Priority: 2, Resources: ["file:src/**/*.cs", "key:build"]),
            new WorkflowNode("docs", "writer", "write docs", [], Resources: ["file:docs/"]),
            new WorkflowNode("free", "writer", "think", []),
        ], new SessionSettingsSpec(MaxConcurrentTasks: 5), []);
        var intervals = new ConcurrentDictionary<string, (long Start, long End)>();
        var model = Sys.ActorOf(Props.Create(() => new SlowModel(TimeSpan.FromMilliseconds(150), intervals)));
        var feed = new LiveFeed<SessionLiveEvent>();
        var runtime = new SessionRuntime(new Dictionary<string, WorkflowTemplate> { ["edits"] = template }, model, Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(16))), feed);
        var session = Sys.ActorOf(PassivatingParent.Props(SessionCoordinator.Props("s1", runtime), TestActor));
        var client = new OrchestratorClient(session, feed, TimeSpan.FromSeconds(3));
        var conflicts = new ConcurrentQueue<SessionEvents.ConflictDetected>();
        _ = client.Events("s1").RunForeach(i =>
        {
            if (i is FeedItem<SessionLiveEvent>.Event { Value.Event: SessionEvents.ConflictDetected c }) conflicts.Enqueue(c);
        }, Sys.Materializer());

        (await client.StartAsync("s1", "edits", new Dictionary<string, string>())).OrThrow();
        await AwaitAssertAsync(async () =>
            Assert.Equal(SessionLifecycle.Completed, (await client.StatusAsync("s1")).OrThrow().Lifecycle), Deadline);

        string[] conflicting = ["edit-a", "edit-src", "edit-cs"];
        foreach (var x in conflicting)
            foreach (var y in conflicting.Where(y => string.CompareOrdinal(x, y) < 0))
                Assert.False(Overlap(intervals[x], intervals[y]), $"{x} and {y} ran at the same time");
        // The rest ran beside them: the session was not simply serialized.
        Assert.True(Overlap(intervals["edit-src"], intervals["docs"]) && Overlap(intervals["edit-src"], intervals["free"]));
        // The highest priority went first, then by priority.
        Assert.True(intervals["edit-src"].End <= intervals["edit-cs"].Start && intervals["edit-cs"].End <= intervals["edit-a"].Start);

        await AwaitAssertAsync(() => Assert.Contains(conflicts, c => c.TaskId.Value == "edit-a" && c.BlockedBy.Value == "edit-src"), Deadline);
        var first = conflicts.First(c => c.TaskId.Value == "edit-cs");
        Assert.Equal("edit-src", first.BlockedBy.Value);
        Assert.Contains("priority 3", first.Resolution);
    }

    private static bool Overlap((long Start, long End) a, (long Start, long End) b) => a.Start < b.End && b.Start < a.End;

    /// <summary>A model that answers every request after a delay, recording when each task's request ran.</summary>
    private sealed class SlowModel : ReceiveActor, IWithTimers
    {
        public ITimerScheduler Timers { get; set; } = null!;

        private sealed record Answer(Generate Request, IActorRef ReplyTo);

        public SlowModel(TimeSpan delay, ConcurrentDictionary<string, (long Start, long End)> intervals)
        {
            var clock = Stopwatch.StartNew();
            Receive<Generate>(g =>
            {
                intervals[ScriptedModel.TaskOf(g)] = (clock.ElapsedTicks, long.MaxValue);
                Timers.StartSingleTimer(g.RequestId, new Answer(g, Sender), delay);
            });
            Receive<Answer>(a =>
            {
                var task = ScriptedModel.TaskOf(a.Request);
                intervals[task] = (intervals[task].Start, clock.ElapsedTicks);
                a.ReplyTo.Tell(new GenerateResult(a.Request.RequestId, a.Request.Model, $"done {task}", 5, 5, StopReason.EndOfText,
                    new GenerateTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero)));
            });
            Receive<CancelGenerate>(_ => { });
        }
    }
}
