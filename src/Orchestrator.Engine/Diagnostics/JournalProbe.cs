using Akka.Actor;
using Akka.Persistence;
using Orchestrator.Core.Diagnostics;
using static Orchestrator.Core.Diagnostics.ProbeCommands;

namespace Orchestrator.Engine.Diagnostics;

/// <summary>A persistent actor that checks the journal end to end: its recovery proves the journal answers (readiness),
/// and its writes are acknowledged only once durable (the crash test, the persistence specs, the benchmarks).</summary>
public sealed class JournalProbe : ReceivePersistentActor
{
    private State _state = new(0, 0, 0, 0, false);
    private IActorRef? _snapshotRequester;
    private IActorRef? _deleteRequester;

    /// <summary>Props of a probe writing to <paramref name="persistenceId"/>.</summary>
    public static Props Props(string persistenceId) => Akka.Actor.Props.Create(() => new JournalProbe(persistenceId));

    /// <inheritdoc />
    public override string PersistenceId { get; }

    /// <summary>A probe on <paramref name="persistenceId"/>; use <see cref="Props(string)"/>.</summary>
    public JournalProbe(string persistenceId)
    {
        PersistenceId = persistenceId;

        Recover<SnapshotOffer>(offer =>
        {
            var snapshot = (DiagnosticEvents.ProbeSnapshot)offer.Snapshot;
            _state = new State(snapshot.Count, snapshot.Sum, snapshot.MaxNumber, offer.Metadata.SequenceNr, true);
        });
        Recover<DiagnosticEvents.ProbeWritten>(e => Apply(e.Number));
        Recover<DiagnosticEvents.ProbeFeedWritten>(e => Apply(e.Number));

        Command<Write>(w =>
        {
            var sender = Sender;
            var events = Enumerable.Range(0, w.Count).Select(i => w.From + i)
                .Select(n => w.Tagged ? (object)new DiagnosticEvents.ProbeFeedWritten(n, w.Payload) : new DiagnosticEvents.ProbeWritten(n, w.Payload));
            PersistAll(events, e =>
            {
                var number = e is DiagnosticEvents.ProbeWritten u ? u.Number : ((DiagnosticEvents.ProbeFeedWritten)e).Number;
                Apply(number);
                sender.Tell(new Written(number, LastSequenceNr));
            });
        });
        Command<GetState>(_ => Sender.Tell(_state with { LastSequenceNr = LastSequenceNr }));
        Command<TakeSnapshot>(_ =>
        {
            _snapshotRequester = Sender;
            SaveSnapshot(new DiagnosticEvents.ProbeSnapshot(_state.Count, _state.Sum, _state.MaxNumber));
        });
        Command<SaveSnapshotSuccess>(s => _snapshotRequester?.Tell(new SnapshotTaken(s.Metadata.SequenceNr, null)));
        Command<SaveSnapshotFailure>(f => _snapshotRequester?.Tell(new SnapshotTaken(f.Metadata.SequenceNr, f.Cause.Message)));
        Command<DeleteEvents>(d =>
        {
            _deleteRequester = Sender;
            DeleteMessages(d.ToSequenceNr);
        });
        Command<DeleteMessagesSuccess>(s => _deleteRequester?.Tell(new EventsDeleted(s.ToSequenceNr, null)));
        Command<DeleteMessagesFailure>(f => _deleteRequester?.Tell(new EventsDeleted(f.ToSequenceNr, f.Cause.Message)));
    }

    private void Apply(long number) =>
        _state = _state with { Count = _state.Count + 1, Sum = _state.Sum + number, MaxNumber = Math.Max(_state.MaxNumber, number) };
}
