using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Agents;
using Orchestrator.Core.Lessons;
using Orchestrator.Engine.Agents;
using Orchestrator.Engine.Lessons;
using Orchestrator.Engine.Tests.Support;
using Xunit.Abstractions;
using static Orchestrator.Core.Agents.AgentCommands;
using static Orchestrator.Core.Agents.AgentQueries;
using static Orchestrator.Core.Agents.AgentReplies;
using static Orchestrator.Core.Lessons.LessonQueries;
using static Orchestrator.Core.Lessons.LessonReplies;

namespace Orchestrator.Engine.Tests.Agents;

/// <summary>On a cluster of one, the registry and the lesson store run as cluster singletons reached through their
/// proxies at <c>/user/agents</c> and <c>/user/lessons</c>.</summary>
public sealed class AgentSingletonSpec(ITestOutputHelper output)
    : TestKit(Akka.Configuration.ConfigurationFactory.ParseString("""
        akka.actor.serialize-messages = off
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.cluster.min-nr-of-members = 1
        """).WithFallback(EngineTestConfig.Default), output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public void The_proxies_at_user_agents_and_user_lessons_reach_the_singletons()
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);

        var agents = Sys.StartAgentRegistry(new AgentRegistrySettings(new HashSet<string> { "m1" }), AgentRegistryOptions.Default, null);
        var lessons = Sys.StartLessonStore(LessonPolicy.Default, LessonStoreOptions.Default);

        Assert.Equal("/user/agents", agents.Path.ToStringWithoutAddress());
        Assert.Equal("/user/lessons", lessons.Path.ToStringWithoutAddress());
        Sys.ActorSelection("/user/agents").Tell(new RegisterAgent("ada", "coder", [], "m1"), TestActor);
        Assert.Equal("ada", ExpectMsg<AgentAccepted>(Deadline).Agent.Name);
        agents.Tell(new ListAgents(), TestActor);
        Assert.Single(ExpectMsg<AgentList>(Deadline).Agents);
        Sys.ActorSelection("/user/lessons").Tell(new ListLessons(), TestActor);
        Assert.Equal(0, ExpectMsg<LessonList>(Deadline).Total);
    }
}
