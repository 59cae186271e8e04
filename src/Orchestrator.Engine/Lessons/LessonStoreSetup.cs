using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Core.Lessons;
using Orchestrator.Core.Messaging;
using Orchestrator.Engine.Singletons;

namespace Orchestrator.Engine.Lessons;

/// <summary>Marks the proxy of the lesson store (<c>/user/lessons</c>) in the actor registry.</summary>
public sealed class LessonStoreProxy;

/// <summary>Akka.Hosting registration of the lesson store: a cluster singleton (manager <c>/user/lesson-store</c>) with
/// its proxy at <c>/user/lessons</c>, registered as <see cref="LessonStoreProxy"/>.</summary>
public static class LessonStoreSetup
{
    /// <summary>The proxy's actor name.</summary>
    public const string ProxyName = "lessons";

    /// <summary>Registers the lesson store with the policy and options of <c>orchestrator.lessons</c>; a list carries at most
    /// <paramref name="page"/> (of the actor system it runs in: what fits its remoting frame).</summary>
    public static AkkaConfigurationBuilder AddLessonStore(this AkkaConfigurationBuilder builder, LessonPolicy policy, LessonStoreOptions options,
        Func<ActorSystem, ReplyPageSize>? page = null) =>
        builder.WithClusterSingleton<LessonStoreProxy>(LessonStore.Id, LessonStore.Id, ProxyName, (system, _) =>
            LessonStore.Props(policy, page is null ? options : options with { ReplyPage = page(system) }));
}
