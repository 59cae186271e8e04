using Akka.Actor;

namespace Orchestrator.Node.Clustering;

/// <summary>Who holds unexpired leases in the database, as one node sees it.</summary>
/// <param name="Others">The addresses of the other nodes holding leases: the members of a cluster running there.</param>
/// <param name="EarlierIncarnationExpiredFor">How long ago the last lease of an earlier incarnation of the asking node, on
/// its own address, expired (zero or less while it still holds one); null when none has a lease in the table. An
/// incarnation that stopped without leaving is downed and removed by the cluster some time after it stops renewing.</param>
public sealed record LeaseHolders(IReadOnlyList<Address> Others, TimeSpan? EarlierIncarnationExpiredFor);
