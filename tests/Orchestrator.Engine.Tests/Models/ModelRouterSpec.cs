using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Models;
using Orchestrator.Engine.Models;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Tests.Support;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Engine.Tests.Models;

/// <summary>Two actor systems forming a real two-node cluster on loopback: this node serves model <c>small</c>, the
/// other (its cluster role <c>model:tiny</c>) serves <c>tiny</c>, each a scripted model at <c>/user/models</c>. This
/// node's <see cref="ModelRouter"/> sends each request where its model runs, serialized on the way, and the answers come
/// straight from the model to the caller.</summary>
public sealed class ModelRouterSpec : TestKit
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static Config NodeConfig(string roles) => ConfigurationFactory.ParseString($$"""
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.cluster.min-nr-of-members = 1
        akka.cluster.roles = [{{roles}}]
        akka.cluster.pub-sub.gossip-interval = 200ms
        # Both systems share one loaded test process: a late heartbeat must not make the other node unreachable (a CI
        # run saw the router refuse a model the other node served for that). A leaving node is still seen at once.
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 10s
        """).WithFallback(EngineTestConfig.Default);

    private readonly ActorSystem _other;
    private readonly ScriptedModel.Log _here;
    private readonly ScriptedModel.Log _there;
    private readonly IActorRef _router;

    public ModelRouterSpec() : base(NodeConfig("\"model:small\""), "routing")
    {
        _other = ActorSystem.Create("routing", NodeConfig("\"model:tiny\""));
        var first = Akka.Cluster.Cluster.Get(Sys);
        first.Join(first.SelfAddress);
        Akka.Cluster.Cluster.Get(_other).Join(first.SelfAddress);
        AwaitAssert(() =>
        {
            Assert.Equal(2, first.State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up));
            Assert.Equal(2, Akka.Cluster.Cluster.Get(_other).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up));
        }, Deadline);
        (var local, _here) = ScriptedModels.Start(Sys, Answer, "models");
        (_, _there) = ScriptedModels.Start(_other, Answer, "models");
        _router = Sys.ActorOf(ModelRouter.Props(local, new HashSet<string> { "small" }), "model-router");
        AwaitModelsElsewhere("tiny");
    }

    protected override void AfterAll()
    {
        _other.Terminate().Wait(Deadline);
        base.AfterAll();
    }

    /// <summary>Requests whose id starts with <c>hang</c> run until cancelled; the others are answered at once.</summary>
    private static Script Answer(Generate g) => g.RequestId.StartsWith("hang", StringComparison.Ordinal) ? new Script.Hang() : new Script.Reply("hello ✓");

    private static Generate Request(string id, string model) => new(id, model, Prompt: "Say hello.", Timeout: TimeSpan.FromMinutes(1));

    private Address OtherAddress => Akka.Cluster.Cluster.Get(_other).SelfAddress;

    private void AwaitModelsElsewhere(params string[] models)
    {
        var subscriber = CreateTestProbe();
        _router.Tell(ModelRouter.SubscribeModelsElsewhere.Instance, subscriber.Ref);
        subscriber.FishForMessage<ModelRouter.ModelsElsewhere>(m => m.Models.SetEquals(models), Deadline);
    }

    [Fact]
    public void A_model_only_the_other_node_serves_runs_there_and_its_tokens_come_straight_back()
    {
        _router.Tell(Request("r1", "tiny"));

        var first = ExpectMsg<TokenChunk>(Deadline);
        Assert.Equal(OtherAddress, LastSender.Path.Address); // from the model itself, not relayed through the router
        Assert.Equal(("r1", 0), (first.RequestId, first.Index));
        ExpectMsg<TokenChunk>(c => c.Index == 1);
        var result = ExpectMsg<GenerateResult>();
        Assert.Equal(("r1", "hello ✓"), (result.RequestId, result.Text));
        Assert.Equal(["r1"], _there.Requests.Select(r => r.RequestId));
        Assert.Empty(_here.Requests);
    }

    [Fact]
    public void Asked_once_the_router_names_the_models_other_members_serve_and_not_this_node_s()
    {
        _router.Tell(ModelRouter.GetModelsElsewhere.Instance);

        Assert.Equal(["tiny"], ExpectMsg<ModelRouter.ModelsElsewhere>(Deadline).Models);
    }

    [Fact]
    public void A_callers_trace_context_goes_with_its_request_to_the_node_that_serves_the_model()
    {
        using var recorder = new SpanRecorder();
        var spans = recorder.Spans;

        ChildActorOf(ContextSummarizer.Props("traced", 1, "tiny", "Fold these turns.", 2, _router, 16, null, TimeSpan.FromMinutes(1)));

        Assert.Equal("hello ✓", ExpectMsg<ContextSummarizer.Summary>(Deadline).Text);
        const string requestId = "traced/context-summary/1";
        var generation = spans.Single(g => g.OperationName == OrchestratorTelemetry.Spans.Generation
            && (string?)g.GetTagItem(OrchestratorTelemetry.Attributes.RequestId) == requestId);
        var received = _there.Requests.Single(r => r.RequestId == requestId); // on the other node, after remoting
        Assert.NotNull(received.TraceParent);
        Assert.Equal(generation.Id, received.TraceParent);
        var carried = OrchestratorTelemetry.ParentFrom(received.TraceParent);
        Assert.Equal((generation.TraceId, generation.SpanId), (carried.TraceId, carried.SpanId));
    }

    [Fact]
    public void A_model_this_node_serves_runs_here()
    {
        _router.Tell(Request("r2", "small"));
        ExpectMsg<TokenChunk>(Deadline);
        Assert.True(LastSender.Path.Address.HasLocalScope, $"answered from {LastSender.Path}");
        ExpectMsg<TokenChunk>();
        ExpectMsg<GenerateResult>();
        Assert.Equal(["r2"], _here.Requests.Select(r => r.RequestId));
        Assert.Empty(_there.Requests);
    }

    [Fact]
    public void A_model_no_node_serves_fails_at_once_with_the_reason_naming_it()
    {
        _router.Tell(Request("r3", "absent"));
        var failed = ExpectMsg<GenerateFailed>(Deadline);
        Assert.Equal(("r3", "absent", FailureCodes.UnknownModel), (failed.RequestId, failed.Model, failed.Code));
        Assert.Equal("no node of the cluster serves model 'absent' (served here: small; elsewhere: tiny).", failed.Reason);
        Assert.Empty(_here.Requests);
        Assert.Empty(_there.Requests);
    }

    [Fact]
    public void A_cancel_reaches_the_node_that_runs_the_request()
    {
        _router.Tell(Request("hang-1", "tiny"));
        AwaitCondition(() => _there.Requests.Count == 1, Deadline);
        _router.Tell(new CancelGenerate("hang-1", "tiny"));
        var result = ExpectMsg<GenerateResult>(Deadline);
        Assert.Equal(("hang-1", StopReason.Cancelled), (result.RequestId, result.StopReason));
        Assert.Equal(["hang-1"], _there.Cancellations.Select(c => c.RequestId));
        Assert.Empty(_here.Cancellations);
    }

    [Fact]
    public async Task A_node_that_leaves_mid_generation_fails_its_requests_with_the_reason_and_its_models_are_no_longer_served()
    {
        _router.Tell(Request("hang-2", "tiny"));
        AwaitCondition(() => _there.Requests.Count == 1, Deadline);

        await _other.Terminate().WaitAsync(Deadline); // leaves the cluster, as a node stopped with SIGTERM does

        var failed = ExpectMsg<GenerateFailed>(Deadline);
        Assert.Equal(("hang-2", "tiny", FailureCodes.NodeLost), (failed.RequestId, failed.Model, failed.Code));
        // Stopping, it leaves; should its remoting close before the others see it removed, it is unreachable first.
        Assert.Matches($"^node {System.Text.RegularExpressions.Regex.Escape(OtherAddress.ToString())}, which was generating it, (left the cluster|became unreachable) before it answered$", failed.Reason);
        AwaitModelsElsewhere();
        _router.Tell(Request("r4", "tiny"));
        Assert.Equal(FailureCodes.UnknownModel, ExpectMsg<GenerateFailed>(Deadline).Code);
    }

    [Fact]
    public void A_router_shares_its_pools_load_with_the_other_nodes_on_the_capacity_topic()
    {
        var listener = CreateTestProbe();
        Akka.Cluster.Tools.PublishSubscribe.DistributedPubSub.Get(Sys).Mediator.Tell(
            new Akka.Cluster.Tools.PublishSubscribe.Subscribe(ModelCapacity.Topic, listener.Ref), listener.Ref);
        listener.ExpectMsg<Akka.Cluster.Tools.PublishSubscribe.SubscribeAck>(Deadline);
        var pool = _other.ActorOf(Props.Create(() => new PoolFigures("tiny")), "pool-figures");

        _other.ActorOf(ModelRouter.Props(pool, new HashSet<string> { "tiny" }, new ModelRouterSettings(TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(1))),
            "model-router");

        var load = listener.FishForMessage<ModelCapacity.NodeModelLoad>(l => l.Models.Count > 0, Deadline);
        Assert.Equal(OtherAddress.ToString(), load.Node);
        Assert.Equal([new ModelCapacity.ModelLoad("tiny", true, 4, 3, 2)], load.Models);
    }

    /// <summary>A model manager that answers only the figures of its one pool: 4 sequences, 3 generating, 2 queued.</summary>
    private sealed class PoolFigures : ReceiveActor
    {
        public PoolFigures(string model) =>
            Receive<ModelQueries.GetModelStats>(q => Sender.Tell(q.Model == model
                ? new ModelQueries.ModelStats(model, true, 2, 3, 4, 10, TimeSpan.FromSeconds(10), 100, 5, 0, 0)
                : new ModelQueries.ModelNotServed(q.Model, [model])));
    }
}
