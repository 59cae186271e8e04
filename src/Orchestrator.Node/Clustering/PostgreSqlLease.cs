using Akka.Actor;
using Akka.Coordination;

namespace Orchestrator.Node.Clustering;

/// <summary>Akka.Coordination's <see cref="Lease"/> on the shared PostgreSQL database, loaded by Akka for each session
/// shard (<c>akka.cluster.sharding.use-lease</c>), each cluster singleton (<c>akka.cluster.singleton.use-lease</c>) and
/// the split-brain resolver (<c>lease-majority</c>). A shard starts only where its lease is held, so two clusters on
/// one database (a node that formed its own) never run one session. The work is the node's <see cref="LeaseKeeper"/>.</summary>
public sealed class PostgreSqlLease : Lease
{
    private readonly LeaseKeeper _keeper;

    /// <summary>Called by Akka's <c>LeaseProvider</c>.</summary>
    public PostgreSqlLease(LeaseSettings settings, ExtendedActorSystem system) : base(settings) =>
        _keeper = LeaseKeeper.Get(system);

    /// <inheritdoc />
    public override Task<bool> Acquire() => _keeper.AcquireAsync(Settings.LeaseName, null);

    /// <inheritdoc />
    public override Task<bool> Acquire(Action<Exception> leaseLostCallback) =>
        _keeper.AcquireAsync(Settings.LeaseName, e => leaseLostCallback(e!));

    /// <inheritdoc />
    public override Task<bool> Release() => _keeper.ReleaseAsync(Settings.LeaseName);

    /// <inheritdoc />
    public override bool CheckLease() => _keeper.Holds(Settings.LeaseName);
}
