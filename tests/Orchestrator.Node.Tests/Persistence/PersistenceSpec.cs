using Akka.Actor;
using Akka.Event;
using Akka.Persistence.Query;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Engine.Diagnostics;
using Orchestrator.Node.Persistence;
using Xunit.Abstractions;
using static Orchestrator.Core.Diagnostics.ProbeCommands;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>The journal, snapshot store and read journal as a node configures them, end to end through real databases:
/// run against SQLite (<see cref="SqlitePersistenceSpec"/>) and PostgreSQL (<see cref="PostgreSqlPersistenceSpec"/>).</summary>
public abstract class PersistenceSpec(SpecDatabase database, ITestOutputHelper output) : JournalSpecBase(database, output)
{
    /// <summary>What the driver says when a row breaks the journal's unique key (persistence id, sequence number).</summary>
    protected abstract string UniqueKeyViolation { get; }

    private static long Sum(long from, long to) => (from + to) * (to - from + 1) / 2;

    [Fact]
    public void Acknowledged_events_are_replayed_after_a_restart()
    {
        var id = NewPersistenceId();
        var (probe, initial) = StartProbe(id);
        Assert.Equal(new State(0, 0, 0, 0, false), initial);

        var acks = Write(probe, 1, 10, tagged: false).Concat(Write(probe, 11, 5, tagged: true)).ToList();
        Assert.Equal(Enumerable.Range(1, 15).Select(i => (long)i), acks.Select(a => a.SequenceNr));
        var before = GetState(probe);
        Assert.Equal(new State(15, Sum(1, 15), 15, 15, false), before);

        StopAndWait(probe);
        var (_, after) = StartProbe(id);
        Assert.Equal(before, after);
    }

    [Fact]
    public void Recovery_starts_from_the_snapshot_and_replays_only_the_events_after_it()
    {
        var id = NewPersistenceId();
        var (probe, _) = StartProbe(id);
        Write(probe, 1, 10, tagged: false);
        probe.Tell(Verified(new TakeSnapshot()));
        Assert.Equal(new SnapshotTaken(10, null), Verified(ExpectMsg<SnapshotTaken>()));
        Write(probe, 11, 3, tagged: true);
        Write(probe, 14, 2, tagged: false);

        StopAndWait(probe);
        var (_, recovered) = StartProbe(id);
        // Replaying events 1..10 on top of the snapshot would count them twice (25 events).
        Assert.Equal(new State(15, Sum(1, 15), 15, 15, FromSnapshot: true), recovered);
    }

    [Fact]
    public async Task Deleted_events_are_not_replayed_and_their_sequence_numbers_are_not_reused()
    {
        var id = NewPersistenceId();
        var (probe, _) = StartProbe(id);
        Write(probe, 1, 10, tagged: false);
        probe.Tell(Verified(new DeleteEvents(6)));
        Assert.Equal(new EventsDeleted(6, null), Verified(ExpectMsg<EventsDeleted>()));

        StopAndWait(probe);
        var (restarted, recovered) = StartProbe(id);
        Assert.Equal(new State(4, Sum(7, 10), 10, 10, false), recovered);
        Assert.Equal([7L, 8, 9, 10], (await EventsOfAsync(id)).Select(e => e.SequenceNr));

        // Deleting everything keeps the highest sequence number: the next event is 11, not 1.
        restarted.Tell(new DeleteEvents(10));
        Assert.Equal(new EventsDeleted(10, null), ExpectMsg<EventsDeleted>());
        StopAndWait(restarted);
        var (emptied, afterAll) = StartProbe(id);
        Assert.Equal(new State(0, 0, 0, 10, false), afterAll);
        Assert.Equal(new Written(11, 11), Write(emptied, 11, 1, tagged: false).Single());
        Assert.Equal([11L], (await EventsOfAsync(id)).Select(e => e.SequenceNr));
    }

    [Fact]
    public async Task Only_feed_events_are_tagged_and_the_tag_query_returns_them_in_order()
    {
        var id = NewPersistenceId();
        var (probe, _) = StartProbe(id);
        Write(probe, 1, 5, tagged: true);
        Write(probe, 6, 5, tagged: false);
        Write(probe, 11, 2, tagged: true);

        // The read journal sees new rows once its ordering tracker has polled: wait for them, with a deadline.
        await AwaitAssertAsync(async () =>
        {
            var tagged = (await EventsTaggedAsync(PersistenceHocon.FeedTag)).Where(e => e.PersistenceId == id).ToList();
            Assert.Equal([1L, 2, 3, 4, 5, 11, 12], tagged.Select(e => e.SequenceNr));
            Assert.All(tagged, e => Assert.IsType<DiagnosticEvents.ProbeFeedWritten>(e.Event));
            Assert.Equal([1L, 2, 3, 4, 5, 11, 12], tagged.Select(e => ((DiagnosticEvents.ProbeFeedWritten)e.Event).Number));
            var offsets = tagged.Select(e => ((Sequence)e.Offset).Value).ToList();
            Assert.Equal(offsets.Order(), offsets);
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Events_by_persistence_id_returns_every_event_in_order()
    {
        var id = NewPersistenceId();
        var (probe, _) = StartProbe(id);
        Write(probe, 1, 3, tagged: false);
        Write(probe, 4, 4, tagged: true);
        Write(probe, 8, 1, tagged: false);

        var events = await EventsOfAsync(id);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), events.Select(e => e.SequenceNr));
        Assert.All(events, e => Assert.Equal(id, e.PersistenceId));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), events.Select(e => e.Event switch
        {
            DiagnosticEvents.ProbeWritten w when w.Number is < 4 or 8 => w.Number,
            DiagnosticEvents.ProbeFeedWritten f when f.Number is >= 4 and < 8 => f.Number,
            var other => throw new Xunit.Sdk.XunitException($"Unexpected event {other} at {e.SequenceNr}."),
        }));
    }

    [Fact]
    public void A_hundred_concurrent_actors_have_every_event_acknowledged_and_replayed()
    {
        const int actors = 100, events = 100;
        var ids = Enumerable.Range(0, actors).Select(_ => NewPersistenceId()).ToArray();
        var probes = ids.Select(id => Sys.ActorOf(JournalProbe.Props(id))).ToArray();

        // One write per event, all actors at once: every actor has a write in flight while the others queue.
        for (var k = 0; k < events; k++)
            for (var a = 0; a < actors; a++)
                probes[a].Tell(new Write(a * 1000L + k, 1, Tagged: k % 10 == 0));
        var acks = ReceiveN(actors * events, BulkDeadline).Cast<Written>().ToList();
        Verified(acks[0]);

        foreach (var group in acks.GroupBy(w => w.Number / 1000))
        {
            var a = group.Key;
            Assert.Equal(Enumerable.Range(0, events).Select(k => a * 1000 + k), group.Select(w => w.Number));
            Assert.Equal(Enumerable.Range(1, events).Select(s => (long)s), group.Select(w => w.SequenceNr));
        }
        Assert.Equal(actors, acks.Select(w => w.Number / 1000).Distinct().Count());

        foreach (var probe in probes)
            StopAndWait(probe);
        var recovered = ids.Select(id => Sys.ActorOf(JournalProbe.Props(id))).ToList();
        recovered.ForEach(p => p.Tell(new GetState()));
        var states = ReceiveN(actors, BulkDeadline).Cast<State>().ToList();
        Assert.All(states, s => Assert.Equal((100L, 100L, false), (s.Count, s.LastSequenceNr, s.FromSnapshot)));
        Assert.Equal(
            Enumerable.Range(0, actors).Select(a => a * 1000L * events + Sum(0, events - 1)).Order(),
            states.Select(s => s.Sum).Order());
    }

    [Fact]
    public async Task A_second_writer_of_one_persistence_id_fails_and_stops_and_the_journal_keeps_exactly_the_acknowledged_events()
    {
        var id = NewPersistenceId();
        var (first, _) = StartProbe(id);
        Write(first, 1, 3, tagged: false);

        var other = ActorSystem.Create("second-writer", PersistentActorSystemSetup.For(Database.Settings, Overrides));
        try
        {
            var otherReplies = CreateTestProbe(other);
            var (second, secondState) = StartProbe(id, other, otherReplies);
            Assert.Equal(new State(3, 6, 3, 3, false), secondState);
            Assert.Equal(secondState, GetState(first));

            // Both believe the next sequence number is 4: the first writer gets it.
            Assert.Equal([4L, 5], Write(first, 4, 2, tagged: true).Select(w => w.SequenceNr));

            // The second writer's atomic write of three events collides on the journal's unique key and stops it,
            // acknowledging nothing.
            var otherErrors = CreateTestProbe(other);
            other.EventStream.Subscribe(otherErrors.Ref, typeof(Error));
            otherReplies.Watch(second);
            second.Tell(new Write(100, 3, Tagged: true), otherReplies.Ref);
            var reply = otherReplies.ReceiveOne(TimeSpan.FromSeconds(30));
            Assert.True(reply is Terminated t && t.ActorRef.Equals(second), $"Expected the second writer to stop, got {reply}.");
            var error = otherErrors.FishForMessage<Error>(e => $"{e.Message}".Contains(id), TimeSpan.FromSeconds(10));
            Assert.Contains($"Failed to persist event type [{typeof(DiagnosticEvents.ProbeFeedWritten).FullName}] with sequence number [4] for persistenceId [{id}]", $"{error.Message}");
            Assert.Contains(UniqueKeyViolation, $"{error.Cause}");

            // The first keeps going.
            Assert.Equal([6L, 7], Write(first, 6, 2, tagged: false).Select(w => w.SequenceNr));
        }
        finally
        {
            await other.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        }

        var stored = await EventsOfAsync(id);
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], stored.Select(e => e.SequenceNr));
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], stored.Select(e => e.Event switch
        {
            DiagnosticEvents.ProbeWritten w => w.Number,
            DiagnosticEvents.ProbeFeedWritten f => f.Number,
            var x => throw new Xunit.Sdk.XunitException($"Unexpected event {x}."),
        }));
        await AwaitAssertAsync(async () =>
        {
            var tagged = (await EventsTaggedAsync(PersistenceHocon.FeedTag)).Where(e => e.PersistenceId == id);
            Assert.Equal([4L, 5], tagged.Select(e => e.SequenceNr));
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));

        StopAndWait(first);
        var (_, recovered) = StartProbe(id);
        Assert.Equal(new State(7, Sum(1, 7), 7, 7, false), recovered);
    }
}
