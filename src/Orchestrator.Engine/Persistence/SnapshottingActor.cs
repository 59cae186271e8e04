using Akka.Event;
using Akka.Persistence;

namespace Orchestrator.Engine.Persistence;

/// <summary>A persistent actor that keeps only its latest snapshot: once one is saved, the older ones are deleted, and
/// a failed save or delete is logged (the journal still holds every event, so nothing is lost).</summary>
public abstract class SnapshottingActor : ReceivePersistentActor
{
    /// <summary>Handles the snapshot store's replies; <paramref name="what"/> names the actor in the log
    /// (<c>"Session s1"</c>, <c>"Agent registry"</c>).</summary>
    protected void KeepOnlyTheLatestSnapshot(Func<string> what)
    {
        var log = Context.GetLogger();
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => log.Warning(f.Cause, "{Entity}: snapshot failed", what()));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => log.Warning(f.Cause, "{Entity}: deleting old snapshots failed", what()));
    }
}
