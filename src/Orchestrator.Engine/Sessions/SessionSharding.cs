using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Orchestrator.Client;

namespace Orchestrator.Engine.Sessions;

/// <summary>Marks the <c>session</c> shard region in the actor registry.</summary>
public sealed class SessionRegion;

/// <summary>Akka.Hosting registration of sessions: the <c>session</c> shard region with remember-entities (event
/// sourced), so that every unfinished session starts again by itself on whichever node owns its shard. Shards and their
/// coordinator run only on members of <see cref="ClusterRoles.Node"/>: another application's member hosts none.</summary>
public static class SessionSharding
{
    /// <summary>The shard region's type name.</summary>
    public const string TypeName = SessionShards.TypeName;

    /// <summary>Starts the <c>session</c> shard region, its entities created with the runtime <paramref name="runtime"/>
    /// builds once the actor system is up, and the <see cref="SessionLetterReturn"/> that gives its entities' dead letters
    /// back to it.</summary>
    public static AkkaConfigurationBuilder AddSessions(
        this AkkaConfigurationBuilder builder, Func<ActorSystem, IActorRegistry, SessionRuntime> runtime, int maxShards = SessionShards.MaxShards) =>
        builder.WithShardRegion<SessionRegion>(
            TypeName,
            (system, registry) =>
            {
                var shared = runtime(system, registry);
                return id => UnrecoverableSession.EntityProps(id, shared);
            },
            new SessionMessageExtractor(maxShards),
            new ShardOptions
            {
                RememberEntities = true,
                RememberEntitiesStore = RememberEntitiesStore.Eventsourced,
                StateStoreMode = StateStoreMode.DData,
                Role = ClusterRoles.Node,
            })
            .WithActors((system, registry) =>
                system.ActorOf(SessionLetterReturn.Props(registry.Get<SessionRegion>()), "session-letter-return"));
}
