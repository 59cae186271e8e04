using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Contracts;
using Orchestrator.Core.Messaging;
using Orchestrator.Engine.Persistence;
using Orchestrator.Engine.Tests.Support;
using Orchestrator.Messages;
using Xunit.Abstractions;

namespace Orchestrator.Engine.Tests.Persistence;

/// <summary>The entity base: decide → persist in one write → fold → snapshot by events since the last one → reply; a
/// refused command persists nothing.</summary>
/// <remarks>serialize-messages is off: the spec's own commands and events are bound to the node's serializer by their
/// marker interfaces, which refuses any type missing from MessageCatalog; the session specs on the same base run with it
/// on (JournalCompatibilitySpec, SessionSnapshotSpec).</remarks>
public sealed class EventSourcedEntitySpec(ITestOutputHelper output)
    : TestKit(Akka.Configuration.ConfigurationFactory.ParseString("akka.actor.serialize-messages = off").WithFallback(EngineTestConfig.Default), output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private const string Id = "counter";

    [Fact]
    public void A_command_s_events_are_persisted_in_one_write_folded_at_once_and_answered_after()
    {
        var counter = Start(snapshotEvery: 100);

        counter.Tell(new Add(3), TestActor);

        // Each event is handed on once the write is confirmed, with the whole write already folded; then the reply.
        Assert.Equal(new Persisted(1, 3), ExpectMsg<Persisted>(Deadline));
        Assert.Equal(new Persisted(2, 3), ExpectMsg<Persisted>(Deadline));
        Assert.Equal(new Persisted(3, 3), ExpectMsg<Persisted>(Deadline));
        Assert.Equal(new Total(3, 3), ExpectMsg<Total>(Deadline));
        Assert.Equal(new Written(3), ExpectMsg<Written>(Deadline)); // what follows any write comes last
    }

    [Fact]
    public void A_refused_command_persists_nothing_and_is_answered_at_once()
    {
        var counter = Start(snapshotEvery: 1);
        AddAndWait(counter, 2);

        counter.Tell(new Add(0), TestActor);
        Assert.Equal("nothing to add", ExpectMsg<Refused>(Deadline).Reason);
        counter.Tell(new Get(), TestActor);
        Assert.Equal(new Total(2, 2), ExpectMsg<Total>(Deadline)); // no event, no sequence number

        Restart(counter, snapshotEvery: 1).Tell(new Get(), TestActor);
        Assert.Equal(new Total(2, 2), ExpectMsg<Total>(Deadline));
        Assert.Equal(2, LatestSnapshot()?.Metadata.SequenceNr); // and no snapshot for it
    }

    [Fact]
    public void A_snapshot_is_saved_once_enough_events_were_written_since_the_last_one()
    {
        var counter = Start(snapshotEvery: 4);

        AddAndWait(counter, 3);
        Assert.Null(LatestSnapshot());
        AddAndWait(counter, 2); // 5 since none: a snapshot after the write, at its last event
        AwaitAssert(() => Assert.Equal(5, LatestSnapshot()?.Metadata.SequenceNr), Deadline);
        AddAndWait(counter, 1);
        AddAndWait(counter, 2);
        Assert.Equal(5, LatestSnapshot()?.Metadata.SequenceNr); // 3 since the last one
        AddAndWait(counter, 1); // 4 since the last one
        AwaitAssert(() => Assert.Equal(9, LatestSnapshot()?.Metadata.SequenceNr), Deadline);
        Assert.Equal(new CounterSnapshot(9), LatestSnapshot()!.Snapshot);
    }

    [Fact]
    public void Events_recovered_after_the_snapshot_count_toward_the_next_one()
    {
        var counter = Start(snapshotEvery: 4);
        AddAndWait(counter, 4);
        AwaitAssert(() => Assert.Equal(4, LatestSnapshot()?.Metadata.SequenceNr), Deadline);
        AddAndWait(counter, 3);

        var again = Restart(counter, snapshotEvery: 4); // recovers the snapshot at 4 and the 3 events after it
        again.Tell(new Get(), TestActor);
        Assert.Equal(new Total(7, 7), ExpectMsg<Total>(Deadline));
        AddAndWait(again, 1);
        AwaitAssert(() => Assert.Equal(8, LatestSnapshot()?.Metadata.SequenceNr), Deadline);
    }

    private IActorRef Start(int snapshotEvery) => Sys.ActorOf(Props.Create(() => new Counter(TestActor, snapshotEvery)));

    private IActorRef Restart(IActorRef counter, int snapshotEvery)
    {
        Watch(counter);
        Sys.Stop(counter);
        ExpectTerminated(counter, Deadline);
        return Start(snapshotEvery);
    }

    private void AddAndWait(IActorRef counter, int n)
    {
        counter.Tell(new Add(n), TestActor);
        for (var i = 0; i < n; i++) ExpectMsg<Persisted>(Deadline);
        ExpectMsg<Total>(Deadline);
        ExpectMsg<Written>(Deadline);
    }

    [Fact]
    public void A_decider_s_folded_state_is_adopted_when_the_write_is_confirmed_not_folded_again()
    {
        var counter = Sys.ActorOf(Props.Create(() => new Counter(TestActor, 100)));

        // The decider's state is marked (x100) so that a second fold by Apply (+1 an event) would show.
        counter.Tell(new AddFolded(2));
        Assert.Equal(200, ExpectMsg<Persisted>(Deadline).SumAfterTheWrite);
        ExpectMsg<Persisted>(Deadline);
        Assert.Equal(200, ExpectMsg<Total>(Deadline).Sum);
        ExpectMsg<Written>(Deadline);
        counter.Tell(new Get());
        Assert.Equal(200, ExpectMsg<Total>(Deadline).Sum);
    }

    private SelectedSnapshot? LatestSnapshot()
    {
        Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null)
            .Tell(new LoadSnapshot(Id, SnapshotSelectionCriteria.Latest, long.MaxValue), TestActor);
        return ExpectMsg<LoadSnapshotResult>(Deadline).Snapshot;
    }

    private sealed record Add(int N) : IClusterMessage;
    private sealed record AddFolded(int N) : IClusterMessage;
    private sealed record Get : IClusterMessage;
    private sealed record Total(int Sum, long SequenceNr) : IClusterMessage;
    private sealed record Refused(string Reason) : IClusterMessage;
    private sealed record Persisted(long SequenceNr, int SumAfterTheWrite);
    private sealed record Written(int Events);
    private sealed record Added : IPersistedEvent;
    private sealed record CounterSnapshot(int Sum) : ISnapshotState;

    /// <summary>A counter: <c>Add(n)</c> writes n events of one each; <c>Add(0)</c> is refused.</summary>
    private sealed class Counter : EventSourcedEntity<int>
    {
        private readonly IActorRef _probe;

        public Counter(IActorRef probe, int snapshotEvery) : base(0, snapshotEvery)
        {
            _probe = probe;
            Command<Add>(c => Handle(Decide(c)));
            Command<AddFolded>(c => Handle(new CommandResult<int>(
                Enumerable.Range(0, c.N).Select(IPersistedEvent (_) => new Added()).ToList(), new Total(c.N * 100, LastSequenceNr + c.N), c.N * 100)));
            Command<Get>(_ => Sender.Tell(new Total(State, LastSequenceNr)));
        }

        public override string PersistenceId => Id;

        private CommandResult Decide(Add c) => c.N <= 0
            ? CommandResult.ReplyOnly(new Refused("nothing to add"))
            : new CommandResult(Enumerable.Range(0, c.N).Select(IPersistedEvent (_) => new Added()).ToList(), new Total(State + c.N, LastSequenceNr + c.N));

        protected override int Apply(int state, IPersistedEvent e) => e is Added ? state + 1 : state;

        protected override int FromSnapshot(object snapshot) => ((CounterSnapshot)snapshot).Sum;

        protected override ISnapshotState ToSnapshot(int state) => new CounterSnapshot(state);

        protected override void OnPersisted(IPersistedEvent e) => _probe.Tell(new Persisted(LastSequenceNr, State));

        protected override void OnWritten(IReadOnlyList<IPersistedEvent> events) => _probe.Tell(new Written(events.Count));
    }
}
