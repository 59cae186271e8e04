using System.Collections.Concurrent;
using Akka;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;
using Orchestrator.Messages.Sessions;
using Xunit.Abstractions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Sessions.SessionLiveMessages;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Engine.Tests.Sessions;

public sealed class SessionDirectorySpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static SessionCreated Created(string id, int minute) =>
        new(SessionId.Parse(id), new ResolvedWorkflow("t", ["t"], [], SessionSettings.Defaults, new Dictionary<string, string>()),
            new Dictionary<string, string>(), T0.AddMinutes(minute));

    private static EventEnvelope Envelope(long ordering, string sessionId, long sequenceNr, object e) =>
        new(Offset.Sequence(ordering), SessionId.Parse(sessionId).PersistenceId, sequenceNr, e, 0, []);

    private static async Task<IReadOnlyList<string>> Listed(IActorRef directory, string? lifecycle = null) =>
        (await directory.Ask<SessionList>(new ListSessions(lifecycle), TimeSpan.FromSeconds(3))).Sessions.Select(s => s.SessionId).ToList();

    [Fact]
    public async Task The_journal_is_read_from_the_first_list_on_and_that_list_waits_for_its_current_events()
    {
        var asked = new ConcurrentQueue<string>();
        var stored = new TaskCompletionSource<EventEnvelope>();
        var feed = new JournalFeed(
            after =>
            {
                asked.Enqueue($"current after {after}");
                return Source.From([Envelope(1, "a", 1, Created("a", 0))]).Concat(Source.FromTask(stored.Task));
            },
            after =>
            {
                asked.Enqueue($"live after {after}");
                return Source.Never<EventEnvelope>();
            });
        var live = new LiveFeed<SessionLiveEvent>();
        var directory = Sys.ActorOf(SessionDirectory.Props(feed, live));
        await directory.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(3));
        Assert.Empty(asked);

        var list = Listed(directory);
        await AwaitConditionAsync(() => Task.FromResult(asked.Count == 1), TimeSpan.FromSeconds(5));
        Assert.False(list.IsCompleted);
        stored.SetResult(Envelope(2, "b", 1, Created("b", 1)));

        Assert.Equal(["b", "a"], await list);
        await AwaitConditionAsync(() => Task.FromResult(asked.Count == 2), TimeSpan.FromSeconds(5));
        Assert.Equal(["current after 0", "live after 2"], asked);
    }

    [Fact]
    public async Task A_failed_journal_query_resumes_after_the_last_ordering_it_delivered()
    {
        var asked = new ConcurrentQueue<long>();
        var outage = new TaskCompletionSource<EventEnvelope>();
        var feed = new JournalFeed(
            after =>
            {
                asked.Enqueue(after);
                return Source.From([Envelope(1, "a", 1, Created("a", 0)), Envelope(2, "b", 1, Created("b", 1))]);
            },
            after =>
            {
                asked.Enqueue(after);
                return asked.Count == 2
                    ? Source.FromTask(outage.Task)
                    : Source.From([Envelope(3, "a", 4, new SessionCompleted(SessionId.Parse("a"), 0.9, "done", T0))]).Concat(Source.Never<EventEnvelope>());
            });
        var directory = Sys.ActorOf(SessionDirectory.Props(feed, new LiveFeed<SessionLiveEvent>(), TimeSpan.FromMilliseconds(50)));
        Assert.Equal(["b", "a"], await Listed(directory));

        outage.SetException(new InvalidOperationException("the database went away"));

        await AwaitAssertAsync(async () => Assert.Equal(["a"], await Listed(directory, "completed")), TimeSpan.FromSeconds(10));
        Assert.Equal(["b", "a"], await Listed(directory));
        Assert.Equal([0L, 2L, 2L], asked);
    }

    [Fact]
    public async Task Lists_waiting_for_a_failed_first_read_are_answered_with_what_is_known_and_the_live_query_takes_over()
    {
        var asked = new ConcurrentQueue<string>();
        var feed = new JournalFeed(
            after =>
            {
                asked.Enqueue($"current after {after}");
                return Source.Failed<EventEnvelope>(new InvalidOperationException("the database went away"));
            },
            after =>
            {
                asked.Enqueue($"live after {after}");
                return Source.From([Envelope(1, "a", 1, Created("a", 0))]).Concat(Source.Never<EventEnvelope>());
            });
        var live = new LiveFeed<SessionLiveEvent>();
        var directory = Sys.ActorOf(SessionDirectory.Props(feed, live));
        AwaitCondition(() => live.SubscriberCount == 1, TimeSpan.FromSeconds(5));
        live.Publish(new SessionLiveEvent("mine", 1, Created("mine", 5)));

        await AwaitAssertAsync(async () => Assert.Contains("mine", await Listed(directory)), TimeSpan.FromSeconds(5));
        await AwaitAssertAsync(async () => Assert.Equal(["mine", "a"], await Listed(directory)), TimeSpan.FromSeconds(10));
        Assert.Equal(["current after 0", "live after 0"], asked);
    }

    [Fact]
    public async Task This_nodes_live_events_are_listed_before_the_journal_query_sees_them_and_not_twice()
    {
        var live = new LiveFeed<SessionLiveEvent>();
        var directory = Sys.ActorOf(SessionDirectory.Props(new JournalFeed(_ => Source.Empty<EventEnvelope>(), _ => Source.Never<EventEnvelope>()), live));
        AwaitCondition(() => live.SubscriberCount == 1, TimeSpan.FromSeconds(5));

        live.Publish(new SessionLiveEvent("s1", 1, Created("s1", 0)));
        live.Publish(new SessionLiveEvent("s1", null, new TaskTokens("s1", "a", 1, 0, "tok")));
        live.Publish(new SessionLiveEvent("s1", 1, Created("s1", 0)));
        live.Publish(new SessionLiveEvent("s1", 2, new SessionPaused(SessionId.Parse("s1"), T0)));

        await AwaitAssertAsync(async () => Assert.Equal(["s1"], await Listed(directory, "paused")), TimeSpan.FromSeconds(5));
        Assert.Single(await Listed(directory));
        Assert.IsType<SessionListRefused>(await directory.Ask<object>(new ListSessions(Limit: 0), TimeSpan.FromSeconds(3)));
    }
}
