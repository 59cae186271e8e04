using Orchestrator.Core.Catalog;
using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Orchestrator.Core.Messaging;
using Orchestrator.Engine.Management;
using static Orchestrator.Core.Management.ManagementQueries;

namespace Orchestrator.Node.Api;

/// <summary>The management part of the HTTP API: the cluster, the actor tree, a persistence id's journal, the
/// configuration. What <c>orch cluster</c>, <c>orch actor hierarchy</c>, <c>orch journal</c> and <c>orch config</c> read.</summary>
public static partial class ManagementEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Maps the management endpoints under <c>/api</c>.</summary>
    public static void MapManagementEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");

        api.MapGet("/cluster", async (IRequiredActor<ManagementActor> management, CancellationToken ct) =>
            TypedResults.Ok(await (await management.GetAsync(ct)).Ask<ClusterState>(new GetClusterState(), AskTimeout, ct)));

        api.MapPost("/cluster/leave", (ActorSystem system) =>
        {
            var cluster = Cluster.Get(system);
            cluster.Leave(cluster.SelfAddress);
            return TypedResults.Accepted("/api/cluster", new { leaving = cluster.SelfAddress.ToString() });
        });

        api.MapPost("/cluster/down-unreachable", (ActorSystem system) =>
        {
            var cluster = Cluster.Get(system);
            var downed = cluster.State.Unreachable.Select(m => m.Address).ToList();
            foreach (var address in downed)
                cluster.Down(address);
            return TypedResults.Ok(new { downed = downed.Select(a => a.ToString()).ToList() });
        });

        api.MapGet("/actors", async (int? depth, IRequiredActor<ManagementActor> management, CancellationToken ct) =>
        {
            if (depth is < 1 or > 32)
                return Problems.BadRequest($"depth must be between 1 and 32, got {depth}.");
            var hierarchy = await (await management.GetAsync(ct)).Ask<ActorHierarchy>(new GetActorHierarchy(depth ?? 3), AskTimeout, ct);
            return Results.Ok(hierarchy);
        });

        api.MapGet("/journal/{persistenceId}", async (string persistenceId, long? from, int? max, ActorSystem system, CancellationToken ct) =>
        {
            if (!PersistenceId().IsMatch(persistenceId))
                return Problems.BadRequest("persistenceId must be 1-255 characters of letters, digits and . _ - : @ / +");
            if (from is < 0 || max is < 1 or > 10_000)
                return Problems.BadRequest("from must be >= 0 and max between 1 and 10000.");
            var journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>("akka.persistence.query.journal.sql");
            var first = from ?? 0;
            var envelopes = await journal
                .CurrentEventsByPersistenceId(persistenceId, first, first + (max ?? 100) - 1)
                .RunAggregate(new List<JournalEntry>(), (list, e) => { list.Add(JournalEntry.Of(e)); return list; },
                    system.Materializer());
            return Results.Ok(new { persistenceId, events = envelopes });
        });

        api.MapGet("/config", (string? section, ActorSystem system) =>
        {
            var tree = RedactedConfig.Render(system.Settings.Config, section ?? "orchestrator");
            return tree is null ? Problems.NotFound($"No configuration section '{section}'.") : Results.Ok(tree);
        });
    }

    /// <summary>One journal entry as the API shows it: our events as their JSON, anything else by type name only.</summary>
    public sealed record JournalEntry(long SequenceNr, long Offset, DateTimeOffset Timestamp, string Manifest, object? Event)
    {
        internal static JournalEntry Of(EventEnvelope envelope)
        {
            var known = MessageCatalog.Default.TryGetManifest(envelope.Event.GetType(), out var manifest);
            return new JournalEntry(
                envelope.SequenceNr,
                envelope.Offset is Sequence s ? s.Value : 0,
                // Akka stamps events with DateTime.UtcNow.Ticks.
                envelope.Timestamp is >= 0 and <= 3155378975999999999 ? new DateTimeOffset(envelope.Timestamp, TimeSpan.Zero) : DateTimeOffset.MinValue,
                known ? manifest : envelope.Event.GetType().Name,
                known ? envelope.Event : null);
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9._\-:@/+]{1,255}$")]
    private static partial Regex PersistenceId();
}
