using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Core.Agents;
using Orchestrator.Core.Councils;
using Orchestrator.Engine.Agents;
using Orchestrator.Engine.Councils;
using Orchestrator.Engine.Lessons;
using Orchestrator.Engine.Tests.Support;
using static Orchestrator.Core.Agents.AgentCommands;
using static Orchestrator.Core.Agents.AgentReplies;
using static Orchestrator.Core.Lessons.LessonQueries;
using static Orchestrator.Core.Lessons.LessonReplies;

namespace Orchestrator.Engine.Tests.Singletons;

/// <summary>On a cluster of one, started through Akka.Hosting as the node starts it, the agent registry, the lesson store
/// and the council directory run as cluster singletons reached through their proxies at <c>/user/agents</c>,
/// <c>/user/lessons</c> and <c>/user/councils</c>, and no proxy warns that its singleton is missing.</summary>
public sealed class ClusterSingletonsSpec : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly ConcurrentQueue<string> _warnings = new();
    private ServiceProvider _services = null!;
    private ActorSystem _system = null!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostApplicationLifetime, Lifetime>();
        services.AddAkka("singletons", akka => akka
            .AddHocon(Akka.Configuration.ConfigurationFactory.ParseString("""
                akka.actor.provider = cluster
                akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
                akka.cluster.min-nr-of-members = 1
                akka.cluster.roles = [orchestrator]
                """).WithFallback(EngineTestConfig.Default), HoconAddMode.Prepend)
            .WithActors((system, _) =>
            {
                // Before any proxy starts: every warning from here on is kept.
                var warnings = system.ActorOf(Akka.Actor.Props.Create(() => new WarningCollector(_warnings)));
                system.EventStream.Subscribe(warnings, typeof(Warning));
                var cluster = Akka.Cluster.Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            })
            .AddCouncilDirectory()
            .AddAgentRegistry((_, _) => (new AgentRegistrySettings(new HashSet<string> { "m1" }), AgentRegistryOptions.Default, null, null))
            .AddLessonStore(Orchestrator.Core.Lessons.LessonPolicy.Default, Orchestrator.Engine.Lessons.LessonStoreOptions.Default));
        _services = services.BuildServiceProvider();
        foreach (var hosted in _services.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
        _system = _services.GetRequiredService<ActorSystem>();
    }

    public async Task DisposeAsync()
    {
        foreach (var hosted in _services.GetServices<IHostedService>().Reverse()) await hosted.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task The_proxies_reach_the_singletons_and_none_warns_that_its_singleton_is_missing()
    {
        var registry = _services.GetRequiredService<ActorRegistry>();
        var agents = registry.Get<AgentRegistryProxy>();
        var lessons = registry.Get<LessonStoreProxy>();
        var councils = registry.Get<CouncilDirectory>();

        Assert.Equal("/user/agents", agents.Path.ToStringWithoutAddress());
        Assert.Equal("/user/lessons", lessons.Path.ToStringWithoutAddress());
        Assert.Equal("/user/councils", councils.Path.ToStringWithoutAddress());
        Assert.Equal("ada", (await _system.ActorSelection("/user/agents").Ask<AgentAccepted>(new RegisterAgent("ada", "coder", [], "m1"), Deadline)).Agent.Name);
        Assert.Single((await agents.Ask<AgentList>(new AgentQueries.ListAgents(), Deadline)).Agents);
        Assert.Equal(0, (await lessons.Ask<LessonList>(new ListLessons(), Deadline)).Total);
        Assert.Empty((await councils.Ask<CouncilDirectoryReplies.CouncilList>(new CouncilDirectoryCommands.ListCouncils(), Deadline)).Councils);

        Assert.False(_warnings.Any(w => w.Contains("singleton", StringComparison.OrdinalIgnoreCase)), string.Join("\n", _warnings));
    }

    private sealed class WarningCollector : ReceiveActor
    {
        public WarningCollector(ConcurrentQueue<string> warnings) => Receive<Warning>(w => warnings.Enqueue($"{w.LogSource}: {w.Message}"));
    }

    /// <summary>The host's lifetime, for a service provider without a host.</summary>
    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }
}
