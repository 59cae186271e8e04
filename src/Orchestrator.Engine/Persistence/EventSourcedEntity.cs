using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Orchestrator.Core.Contracts;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Engine.Persistence;

/// <summary>A persistent entity around a pure state: a command is decided by Core into a <see cref="CommandResult"/>,
/// its events are persisted in one write, folded into <see cref="State"/>, a snapshot is saved once enough events were
/// written since the last one, and then the reply is sent; a command that persists nothing is answered at once.</summary>
/// <typeparam name="TState">The entity's state: a fold over its events, with a snapshot form.</typeparam>
public abstract class EventSourcedEntity<TState> : SnapshottingActor
{
    private int _writesInFlight;

    /// <summary>Starts from <paramref name="initial"/> (before recovery) and snapshots once
    /// <paramref name="snapshotEvery"/> events were written since the last snapshot (see <see cref="SnapshotDue"/>).</summary>
    protected EventSourcedEntity(TState initial, int snapshotEvery)
    {
        State = initial;
        SnapshotEvery = snapshotEvery;
        Recover<SnapshotOffer>(o =>
        {
            State = FromSnapshot(o.Snapshot);
            EventsSinceSnapshot = 0;
        });
        Recover<IPersistedEvent>(e =>
        {
            Fold([e]);
            EventsSinceSnapshot++;
        });
        KeepOnlyTheLatestSnapshot(() => Name);
    }

    /// <summary>The state: the latest snapshot and every event after it, folded. Set directly only for what is not
    /// history (work in flight at a crash put back after recovery, say); everything else changes by events.</summary>
    protected TState State { get; set; }

    /// <summary>How many written events make a snapshot due (by default).</summary>
    protected int SnapshotEvery { get; }

    /// <summary>Events written (or recovered) since the last snapshot.</summary>
    protected int EventsSinceSnapshot { get; private set; }

    /// <summary>Whether a write is waiting for the journal.</summary>
    protected bool IsWriting => _writesInFlight > 0;

    /// <summary>What the log calls this entity (<c>"Agent registry"</c>); its persistence id unless overridden.</summary>
    protected virtual string Name => PersistenceId;

    /// <summary>Whether commands wait (are stashed by Akka) while a write is in flight: true writes with
    /// <c>PersistAll</c>; false with <c>PersistAllAsync</c>, for an entity that gathers what arrives meanwhile into its
    /// next write and stashes its commands itself (<see cref="IsWriting"/>).</summary>
    protected virtual bool HoldsMessagesWhileWriting => true;

    /// <summary>The state after <paramref name="e"/> (pure).</summary>
    protected abstract TState Apply(TState state, IPersistedEvent e);

    /// <summary>The state after the events of one write; one <see cref="Apply"/> after another unless overridden (an
    /// entity whose state folds a batch at once).</summary>
    protected virtual TState ApplyAll(TState state, IReadOnlyList<IPersistedEvent> events)
    {
        foreach (var e in events) state = Apply(state, e);
        return state;
    }

    /// <summary>The state a stored snapshot holds.</summary>
    protected abstract TState FromSnapshot(object snapshot);

    /// <summary>The snapshot of <paramref name="state"/>.</summary>
    protected abstract ISnapshotState ToSnapshot(TState state);

    /// <summary>Whether to save a snapshot now, <paramref name="eventsSinceSnapshot"/> events after the last one.</summary>
    protected virtual bool SnapshotDue(int eventsSinceSnapshot) => eventsSinceSnapshot >= SnapshotEvery;

    /// <summary>Called once <paramref name="events"/> are folded into <see cref="State"/> (from <paramref name="before"/>):
    /// at the first confirmation of a write, and for each event on recovery (<c>IsRecovering</c>). For indexes kept
    /// beside the state.</summary>
    protected virtual void OnApplied(TState before, IReadOnlyList<IPersistedEvent> events)
    {
    }

    /// <summary>Called for each written event once its write is confirmed and folded (<c>LastSequenceNr</c> is its
    /// number), never on recovery: for what follows a durable event (publishing it, starting work, logging).</summary>
    protected virtual void OnPersisted(IPersistedEvent e)
    {
    }

    /// <summary>Called after every write, once its reply or continuation has run: for what follows any write (unstashing,
    /// deciding again, passivating when done).</summary>
    protected virtual void OnWritten(IReadOnlyList<IPersistedEvent> events)
    {
    }

    /// <summary>Persists <paramref name="result"/>'s events, then answers the sender with its reply and calls
    /// <paramref name="written"/>; a result without events is answered at once (and <paramref name="written"/> not
    /// called). A <see cref="CommandResult{TState}"/>'s state is adopted instead of folding its events again. A command
    /// told without a sender, or a result without a reply, is answered by nobody.</summary>
    protected void Handle(CommandResult result, Action? written = null)
    {
        var sender = Sender;
        if (result.PersistsNothing)
        {
            Reply(sender, result.Reply);
            return;
        }
        Write(result.Events, result is CommandResult<TState> decided ? new Folded(decided.State) : null, () =>
        {
            Reply(sender, result.Reply);
            written?.Invoke();
        });
    }

    /// <summary>Persists <paramref name="events"/> in one write: they are folded when it is confirmed, each is passed
    /// to <see cref="OnPersisted"/>, a snapshot is saved when due, then <paramref name="written"/> runs, then
    /// <see cref="OnWritten"/>.</summary>
    protected void Write(IReadOnlyList<IPersistedEvent> events, Action? written = null) => Write(events, null, written);

    /// <summary>As <see cref="Write(IReadOnlyList{IPersistedEvent}, Action?)"/>, for a decider that already folded the
    /// events: <paramref name="after"/> is adopted when the write is confirmed instead of folding them again.</summary>
    protected void Write(IReadOnlyList<IPersistedEvent> events, TState after, Action? written = null) =>
        Write(events, new Folded(after), written);

    private void Write(IReadOnlyList<IPersistedEvent> events, Folded? folded, Action? written)
    {
        if (events.Count == 0)
        {
            written?.Invoke();
            return;
        }
        _writesInFlight++;
        var left = events.Count;
        var sent = Stopwatch.GetTimestamp();
        if (HoldsMessagesWhileWriting) PersistAll(events, Confirmed);
        else PersistAllAsync(events, Confirmed);

        void Confirmed(IPersistedEvent e)
        {
            // A write is atomic: its events are confirmed together, so they are folded at once, before the first is
            // handed on.
            if (left == events.Count)
            {
                OrchestratorTelemetry.JournalWriteLatency.Record(Stopwatch.GetElapsedTime(sent).TotalSeconds,
                    new KeyValuePair<string, object?>(OrchestratorTelemetry.Attributes.Entity, GetType().Name));
                if (folded is null) Fold(events);
                else Adopt(folded.State, events);
            }
            OnPersisted(e);
            if (--left > 0) return;
            _writesInFlight--;
            EventsSinceSnapshot += events.Count;
            if (SnapshotDue(EventsSinceSnapshot))
            {
                EventsSinceSnapshot = 0;
                SaveSnapshot(ToSnapshot(State));
            }
            written?.Invoke();
            OnWritten(events);
        }
    }

    /// <summary>A write the journal rejected (it stored none of its events: they could not be serialized, say) stops the
    /// entity, as a failed write does. Akka would leave it running without calling the write's handler: it would wait
    /// for that write forever (<see cref="IsWriting"/> never false again), holding what it took for it (a session's
    /// dispatch slots), with plans the journal never got. Started again, it recovers what the journal holds.
    /// <see cref="OnWriteRejected"/> hears it once (Akka reports each event of the write).</summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        if (_rejected) return;
        _rejected = true;
        Context.GetLogger().Warning("{Entity}: the journal rejected a write ({Event} at {SequenceNr}); it stops and recovers when started again",
            Name, @event.GetType().Name, sequenceNr);
        OnWriteRejected(cause);
        Context.Stop(Self);
    }

    /// <summary>The journal rejected a write for <paramref name="cause"/>; the entity stops next.</summary>
    protected virtual void OnWriteRejected(Exception cause)
    {
    }

    private bool _rejected;

    private void Fold(IReadOnlyList<IPersistedEvent> events)
    {
        var before = State;
        State = ApplyAll(State, events);
        OnApplied(before, events);
    }

    private void Adopt(TState after, IReadOnlyList<IPersistedEvent> events)
    {
        var before = State;
        State = after;
        OnApplied(before, events);
    }

    /// <summary>A state its decider already folded a write's events into.</summary>
    private sealed record Folded(TState State);

    private static void Reply(IActorRef sender, IClusterMessage? reply)
    {
        if (reply is not null && !sender.IsNobody()) sender.Tell(reply);
    }
}
