using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Orchestrator.Api.Contracts.Cluster;
using Orchestrator.Api.Contracts.Diagnostics;
using Orchestrator.Core.Catalog;
using Orchestrator.Core.Validation;
using Orchestrator.Engine.Management;
using Orchestrator.Engine.Persistence;
using Orchestrator.Node.Api.Mapping;
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
            TypedResults.Ok((await (await management.GetAsync(ct)).Ask<ClusterState>(new GetClusterState(), AskTimeout, ct)).ToDto()));

        api.MapPost("/cluster/leave", (ActorSystem system) =>
        {
            var cluster = Cluster.Get(system);
            cluster.Leave(cluster.SelfAddress);
            return TypedResults.Accepted("/api/cluster", new LeavingDto(cluster.SelfAddress.ToString()));
        });

        api.MapPost("/cluster/down-unreachable", (ActorSystem system) =>
        {
            var cluster = Cluster.Get(system);
            var downed = cluster.State.Unreachable.Select(m => m.Address).ToList();
            foreach (var address in downed)
                cluster.Down(address);
            return TypedResults.Ok(new DownedDto(downed.Select(a => a.ToString()).ToList()));
        });

        api.MapGet("/actors", async (int? depth, IRequiredActor<ManagementActor> management, CancellationToken ct) =>
        {
            if (depth is < 1 or > 32)
                return Problems.BadRequest($"depth must be between 1 and 32, got {depth}.");
            var hierarchy = await (await management.GetAsync(ct)).Ask<ActorHierarchy>(new GetActorHierarchy(depth ?? 3), AskTimeout, ct);
            return Results.Ok(hierarchy.ToDto());
        }).Produces<ActorHierarchyDto>();

        api.MapGet("/journal/{persistenceId}", async (string persistenceId, long? from, int? max, ActorSystem system, ILoggerFactory loggers,
            CancellationToken ct) =>
        {
            if (!PersistenceId().IsMatch(persistenceId))
                return Problems.BadRequest("persistenceId must be 1-255 characters of letters, digits and . _ - : @ / +");
            if (from is < 0 || max is < 1 or > 10_000)
                return Problems.BadRequest("from must be >= 0 and max between 1 and 10000.");
            var journal = ReadJournals.For<SqlReadJournal>(system);
            var first = from ?? 0;
            var entries = new List<JournalEntryDto>();
            try
            {
                await journal
                    .CurrentEventsByPersistenceId(persistenceId, first, first + (max ?? 100) - 1)
                    .RunForeach(e => entries.Add(e.ToJournalEntry()), system.Materializer());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Never the exception's text to the caller: what could not be read, and where; the cause goes to the log.
                loggers.CreateLogger("Orchestrator.Node.Api.Journal").LogWarning(e, "Reading the journal of {PersistenceId} failed", persistenceId);
                var after = entries.Count > 0 ? $"after sequence number {entries[^1].SequenceNr}" : $"from sequence number {first}";
                return e is System.Data.Common.DbException
                    ? Problems.Unavailable($"The journal is not answering: the events of '{persistenceId}' {after} could not be read; retry once /health/ready answers 200.")
                    : Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Unreadable journal",
                        detail: $"The events of '{persistenceId}' cannot be read {after}: an event there is corrupt or was written by another " +
                                "version of the node (its manifest is not known to this one). The node's log has the cause.");
            }
            return Results.Ok(new JournalPageDto(persistenceId, entries));
        }).Produces<JournalPageDto>();

        api.MapGet("/config", (string? section, ActorSystem system) =>
        {
            var tree = RedactedConfig.Render(system.Settings.Config, section ?? "orchestrator");
            return tree is null ? Problems.NotFound($"No configuration section '{InputEcho.Of(section)}'.") : Results.Ok(tree);
        });
    }

    [GeneratedRegex(@"^[A-Za-z0-9._\-:@/+]{1,255}$")]
    private static partial Regex PersistenceId();
}
