using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Agents;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Agents;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;
using Xunit.Abstractions;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>An outcome or a scorer's verdict persisted just before a crash reaches the agent registry anyway: a recovered
/// session reports the outcomes and verdicts it replayed, and the registry counts each once however often it is told.</summary>
public sealed class SessionOutcomeReportSpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly AgentRegistrySettings Registry = new(new HashSet<string> { "m" });

    [Theory]
    [InlineData(500)]
    [InlineData(1)] // the outcome is in a snapshot, not replayed as an event: the snapshot keeps it to report again
    public async Task An_outcome_lost_with_the_crash_is_reported_by_the_recovered_session_and_counted_once(int snapshotEvery)
    {
        var template = new WorkflowTemplate("one", [new WorkflowNode("t1", "analyst", "do it", [])], SessionSettingsSpec.Empty, []);
        var registry = Sys.ActorOf(AgentRegistry.Props(Registry), $"agents-{Guid.NewGuid():N}");
        var gate = Sys.ActorOf(Props.Create(() => new Gate(registry)));
        var session = SessionUnderTest.Start(this, template, SessionUnderTest.InstantModel(Sys), agents: gate, snapshotEvery: snapshotEvery);
        var client = session.Client;

        (await client.StartAsync("s1", "one", new Dictionary<string, string>())).OrThrow();
        await AwaitAssertAsync(async () => Assert.True((await client.StatusAsync("s1")).OrThrow().Lifecycle.IsFinished()), Deadline);
        Assert.Equal(0, await SamplesAsync(registry)); // the report was lost (the gate was shut), as with a SIGKILL right after the write

        gate.Tell(Gate.Open.Instance);
        for (var incarnation = 1; incarnation <= 2; incarnation++)
        {
            await session.CrashAndRecoverAsync(this, incarnation, Deadline); // the next incarnation reports what it replayed
            await AwaitAssertAsync(async () => Assert.Equal(1, await SamplesAsync(registry)), Deadline);
        }
        Assert.Equal(2, await gate.Ask<int>(Gate.Passed.Instance, Deadline)); // reported twice, counted once
    }

    [Theory]
    [InlineData(500)]
    [InlineData(1)] // the verdict is in a snapshot, not replayed as an event: the snapshot keeps it to tell again
    public async Task A_verdict_lost_with_the_crash_is_told_by_the_recovered_session_and_counted_once(int snapshotEvery)
    {
        var template = new WorkflowTemplate("scored",
            [
                new WorkflowNode("t1", "analyst", "do it", []),
                new WorkflowNode("score", "judge", "score it", ["t1"], Phase: WorkflowPhases.Scoring),
            ],
            new SessionSettingsSpec(ScorerNode: "score", QualityThreshold: 0.5, MaxIterations: 1), []);
        var model = ScriptedModels.Start(Sys, g => new Script.Reply(ScriptedModel.TaskOf(g) == "score"
            ? """{"score": 0.9, "critique": "fine", "tasks": [{"id": "t1", "score": 0.7}]}"""
            : ScriptedModel.Completion(ScriptedModel.TaskOf(g))), $"model-{Guid.NewGuid():N}").Model;
        var registry = Sys.ActorOf(AgentRegistry.Props(Registry), $"agents-{Guid.NewGuid():N}");
        var gate = Sys.ActorOf(Props.Create(() => new Gate(registry)));
        var session = SessionUnderTest.Start(this, template, model, agents: gate, snapshotEvery: snapshotEvery);

        (await session.Client.StartAsync("s1", "scored", new Dictionary<string, string>())).OrThrow();
        await AwaitAssertAsync(async () => Assert.True((await session.Client.StatusAsync("s1")).OrThrow().Lifecycle.IsFinished()), Deadline);
        Assert.Equal(0, await QualitySamplesAsync(registry)); // the verdict was lost (the gate was shut)

        gate.Tell(Gate.Open.Instance);
        for (var incarnation = 1; incarnation <= 2; incarnation++)
        {
            await session.CrashAndRecoverAsync(this, incarnation, Deadline);
            await AwaitAssertAsync(async () => Assert.Equal(1, await QualitySamplesAsync(registry)), Deadline);
        }
        Assert.Equal(2, await gate.Ask<int>(Gate.PassedVerdicts.Instance, Deadline)); // told twice, counted once
    }

    private static async Task<long> QualitySamplesAsync(IActorRef registry)
    {
        var analytics = await registry.Ask<AgentReplies.AgentAnalytics>(new AgentQueries.GetAgentAnalytics("analyst", "t1"), Deadline);
        return analytics.Entries.Sum(e => e.Stats.QualitySamples);
    }

    private static async Task<long> SamplesAsync(IActorRef registry)
    {
        var analytics = await registry.Ask<AgentReplies.AgentAnalytics>(new AgentQueries.GetAgentAnalytics("analyst", AgentRegistryState.AllKinds), Deadline);
        return analytics.Entries.Sum(e => e.Stats.Samples);
    }

    /// <summary>Drops outcome and verdict reports until opened, then passes them to the registry and counts them.</summary>
    private sealed class Gate : ReceiveActor
    {
        public sealed record Open
        {
            public static Open Instance { get; } = new();
        }

        public sealed record Passed
        {
            public static Passed Instance { get; } = new();
        }

        public sealed record PassedVerdicts
        {
            public static PassedVerdicts Instance { get; } = new();
        }

        public Gate(IActorRef registry)
        {
            var open = false;
            var passed = 0;
            var verdicts = 0;
            Receive<Open>(_ => open = true);
            Receive<Passed>(_ => Sender.Tell(passed));
            Receive<PassedVerdicts>(_ => Sender.Tell(verdicts));
            Receive<AgentCommands.RecordTaskOutcome>(m =>
            {
                if (!open) return;
                passed++;
                registry.Forward(m);
            });
            Receive<AgentCommands.RecordQuality>(m =>
            {
                if (!open) return;
                verdicts++;
                registry.Forward(m);
            });
            ReceiveAny(m => registry.Forward(m));
        }
    }
}
