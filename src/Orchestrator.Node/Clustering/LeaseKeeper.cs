using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Npgsql;

namespace Orchestrator.Node.Clustering;

/// <summary>Holds this node's leases in the <see cref="LeaseTable"/>: acquires and releases them, renews all of them in
/// one statement every heartbeat, and tells a lease's user the moment it can no longer be sure it holds it: when a
/// renewal finds it gone (expired and taken by another owner) or when renewals have failed for as long as its
/// time-to-live (the database unreachable). A node cut off from the database therefore stops its shards and
/// singletons before another node can take their leases over, so two nodes never write one session.</summary>
public sealed class LeaseKeeper : IExtension, IDisposable
{
    private readonly LeaseTable _table;
    private readonly NpgsqlDataSource _database;
    private readonly LeaseKeeperSettings _settings;
    private readonly ILoggingAdapter _log;
    private readonly ConcurrentDictionary<string, HeldLease> _held = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lazy<Task> _heartbeat;

    internal LeaseKeeper(ExtendedActorSystem system, LeaseKeeperSettings settings)
    {
        _settings = settings;
        _database = NpgsqlDataSource.Create(settings.ConnectionString);
        _table = new LeaseTable(_database, settings.TimeToLive);
        _log = Logging.GetLogger(system, typeof(LeaseKeeper));
        var self = Akka.Cluster.Cluster.Get(system).SelfUniqueAddress;
        Owner = LeaseOwner.Of(self);
        _heartbeat = new Lazy<Task>(() => Task.Run(() => HeartbeatAsync(_stopping.Token)));
        system.RegisterOnTermination(Dispose);
    }

    /// <summary>This node incarnation's name in the lease table: its host, port and actor system uid.</summary>
    public string Owner { get; }

    /// <summary>The keeper of <paramref name="system"/>, created on first use from its <see cref="LeaseKeeperSetup"/>.</summary>
    public static LeaseKeeper Get(ActorSystem system) => system.WithExtension<LeaseKeeper, LeaseKeeperProvider>();

    /// <summary>True when this node holds <paramref name="name"/> afterwards; <paramref name="lost"/> is called once if
    /// it then stops holding it without releasing it.</summary>
    public async Task<bool> AcquireAsync(string name, Action<Exception?>? lost)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_settings.OperationTimeout);
        var acquired = await _table.AcquireAsync(name, Owner, timeout.Token).ConfigureAwait(false);
        if (!acquired)
        {
            var holder = await _table.HolderAsync(name, timeout.Token).ConfigureAwait(false);
            _log.Info("Lease {0} is held by {1}; this node ({2}) will try again", name, holder ?? "nobody now", Owner);
            return false;
        }
        // Held until its time-to-live from when the statement was sent; acquired when it came back (committed): a renewal
        // that began before then may not have seen it, one that began after must have.
        _held[name] = new HeldLease(lost, Stopwatch.GetTimestamp(), started + Ticks(_settings.TimeToLive));
        _ = _heartbeat.Value;
        return true;
    }

    /// <summary>Gives <paramref name="name"/> up; true when this node held it.</summary>
    public async Task<bool> ReleaseAsync(string name)
    {
        _held.TryRemove(name, out _);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_settings.OperationTimeout);
        return await _table.ReleaseAsync(name, Owner, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Who holds leases now: the addresses of the other nodes (the members of a cluster running on this
    /// database), and how long ago an earlier incarnation of this node, on its own address, last held one (null when none
    /// has a lease in the table; zero or less while one still holds a lease: it stopped without leaving, moments ago).</summary>
    public async Task<LeaseHolders> LiveHoldersAsync(Address self)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_settings.OperationTimeout);
        var owners = await _table.OwnersAsync(timeout.Token).ConfigureAwait(false);
        var others = owners.Where(o => o.Live).Select(o => LeaseOwner.AddressOf(o.Owner, self)).OfType<Address>()
            .Where(a => !a.Equals(self)).Distinct().ToList();
        var earlier = owners.Where(o => o.Owner != Owner && self.Equals(LeaseOwner.AddressOf(o.Owner, self)))
            .Select(o => (TimeSpan?)o.ExpiredFor).Min();
        return new LeaseHolders(others, earlier);
    }

    /// <summary>True while this node is certain to hold <paramref name="name"/>: acquired, not lost, and renewed within
    /// its time-to-live, counted from when the last successful renewal was sent.</summary>
    public bool Holds(string name) =>
        _held.TryGetValue(name, out var lease) && Stopwatch.GetTimestamp() < lease.HeldUntil;

    private async Task HeartbeatAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_settings.HeartbeatInterval);
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
        {
            if (_held.IsEmpty)
                continue;
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                timeout.CancelAfter(_settings.OperationTimeout);
                var stillHeld = await _table.RenewAllAsync(Owner, timeout.Token).ConfigureAwait(false);
                foreach (var (name, lease) in _held)
                {
                    if (stillHeld.Contains(name))
                        _held.TryUpdate(name, lease with { HeldUntil = started + Ticks(_settings.TimeToLive) }, lease);
                    else if (lease.AcquiredAt < started)
                        Lose(name, lease, null, "it expired and another owner may hold it now");
                    // else: acquired while this renewal ran, so the renewal may not have seen it; the next one will.
                }
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // Whatever failed, the loop goes on: a heartbeat that died would let every lease of the node expire.
                _log.Warning("Renewing the leases of {0} failed: {1}", Owner, e.Message);
                var now = Stopwatch.GetTimestamp();
                foreach (var (name, lease) in _held)
                {
                    if (now >= lease.HeldUntil)
                        Lose(name, lease, e, $"it could not be renewed for {_settings.TimeToLive.TotalSeconds:0.#} s");
                }
            }
        }
    }

    private void Lose(string name, HeldLease lease, Exception? cause, string why)
    {
        if (!_held.TryRemove(new KeyValuePair<string, HeldLease>(name, lease)))
            return;
        _log.Warning("Lease {0} of {1} is lost: {2}", name, Owner, why);
        lease.Lost?.Invoke(cause ?? new LeaseLostException($"Lease {name} of {Owner} is lost: {why}."));
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
            return;
        _stopping.Cancel();
        _database.Dispose();
    }

    private sealed record HeldLease(Action<Exception?>? Lost, long AcquiredAt, long HeldUntil);
}

/// <summary>Thrown to (or passed to) a lease's user when it lost the lease.</summary>
public sealed class LeaseLostException(string message) : Exception(message);

/// <summary>Creates the <see cref="LeaseKeeper"/> extension.</summary>
public sealed class LeaseKeeperProvider : ExtensionIdProvider<LeaseKeeper>
{
    /// <inheritdoc />
    public override LeaseKeeper CreateExtension(ExtendedActorSystem system)
    {
        var setup = system.Settings.Setup.Get<LeaseKeeperSetup>();
        if (!setup.HasValue)
            throw new InvalidOperationException(
                "PostgreSqlLease needs a LeaseKeeperSetup in the actor system's setup (a node on PostgreSQL adds one).");
        return new LeaseKeeper(system, setup.Value.Settings);
    }
}
