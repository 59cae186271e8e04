using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Orchestrator.Engine.Models;
using Orchestrator.Node.Configuration;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Benchmarks;

/// <summary>What a node's <see cref="ModelRouter"/> costs, beside sending <c>Generate</c> straight to the node's own
/// model actor (the baseline, measured in the same run): requests per second with 8 in flight, each answered with 16
/// token chunks and a result by a model that costs nothing, through the router to this node's model, and through the
/// router to the model of another node (a second actor system in this process, joined in one cluster over loopback
/// remoting: every request, chunk and result serialized). What a real model costs per token is far above either.</summary>
internal static class ModelRoutingBenchmark
{
    private const int InFlight = 8;
    private const int Chunks = 16;

    public static async Task RunAsync(BenchOptions options)
    {
        var requests = options.Quick ? 500 : 3000;
        var config = ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            akka.cluster.min-nr-of-members = 1
            """).WithFallback(NodeConfigLoader.Load(null, _ => null).Config);
        var here = ActorSystem.Create("routing", ConfigurationFactory.ParseString("akka.cluster.roles = [\"model:here\"]").WithFallback(config));
        var there = ActorSystem.Create("routing", ConfigurationFactory.ParseString("akka.cluster.roles = [\"model:there\"]").WithFallback(config));
        try
        {
            var cluster = Akka.Cluster.Cluster.Get(here);
            await cluster.JoinAsync(cluster.SelfAddress);
            await Akka.Cluster.Cluster.Get(there).JoinAsync(cluster.SelfAddress);
            var local = here.ActorOf(Props.Create(() => new ChunkingModel()), "models");
            there.ActorOf(Props.Create(() => new ChunkingModel()), "models");
            var router = here.ActorOf(ModelRouter.Props(local, new HashSet<string> { "here" }), ModelRouterSetup.Name);
            // Subscribed, the router tells each change of what the other node serves: wait for "there" to arrive.
            var updates = Inbox.Create(here);
            router.Tell(ModelRouter.SubscribeModelsElsewhere.Instance, updates.Receiver);
            var deadline = Stopwatch.StartNew();
            var elsewhere = (ModelRouter.ModelsElsewhere)await updates.ReceiveAsync(TimeSpan.FromSeconds(10));
            while (!elsewhere.Models.Contains("there") && deadline.Elapsed < TimeSpan.FromSeconds(30))
                elsewhere = (ModelRouter.ModelsElsewhere)await updates.ReceiveAsync(TimeSpan.FromSeconds(30) - deadline.Elapsed);
            Report.Note($"{requests} requests per figure, {InFlight} in flight, {Chunks} chunks each; the other node serves: {string.Join(", ", elsewhere.Models)}");

            // Warm-up of each path (JIT, remoting connections).
            await Drive(here, local, "here", 200);
            await Drive(here, router, "here", 200);
            await Drive(here, router, "there", 200);
            for (var run = 1; run <= options.Runs; run++)
            {
                var direct = await Drive(here, local, "here", requests);
                var routedLocal = await Drive(here, router, "here", requests);
                var routedRemote = await Drive(here, router, "there", requests);
                Report.Line("model-routing/direct to this node's model", direct, "requests/s");
                Report.Line("model-routing/router to this node's model", routedLocal, "requests/s", ("direct", direct));
                Report.Line("model-routing/router to the other node's model", routedRemote, "requests/s", ("direct", direct));
            }
        }
        finally
        {
            await Task.WhenAll(there.Terminate(), here.Terminate());
        }
    }

    /// <summary>Requests per second of <paramref name="count"/> requests for <paramref name="model"/> sent to
    /// <paramref name="target"/>, <see cref="InFlight"/> at a time.</summary>
    private static async Task<double> Drive(ActorSystem system, IActorRef target, string model, int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sw = Stopwatch.StartNew();
        system.ActorOf(Props.Create(() => new Caller(target, model, count, done)));
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        return count / sw.Elapsed.TotalSeconds;
    }

    /// <summary>Keeps <see cref="InFlight"/> requests out until <c>count</c> have their result; counts every chunk.</summary>
    private sealed class Caller : ReceiveActor
    {
        private int _sent;
        private int _answered;
        private int _chunks;

        public Caller(IActorRef target, string model, int count, TaskCompletionSource done)
        {
            void Send() => target.Tell(new Generate($"{Self.Path.Name}-{_sent++}", model, Prompt: "p", Timeout: TimeSpan.FromMinutes(1)), Self);
            Receive<TokenChunk>(_ => _chunks++);
            Receive<GenerateResult>(_ =>
            {
                if (++_answered == count)
                {
                    if (_chunks != count * Chunks) done.TrySetException(new InvalidOperationException($"{_chunks} chunks for {count} requests"));
                    else done.TrySetResult();
                    Context.Stop(Self);
                }
                else if (_sent < count) Send();
            });
            Receive<GenerateFailed>(f => done.TrySetException(new InvalidOperationException(f.Describe())));
            for (var i = 0; i < InFlight && _sent < count; i++) Send();
        }
    }

    /// <summary>A model that costs nothing: <see cref="Chunks"/> chunks, then the result.</summary>
    private sealed class ChunkingModel : ReceiveActor
    {
        private static readonly GenerateTimings NoTime = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

        public ChunkingModel()
        {
            Receive<Generate>(g =>
            {
                for (var i = 0; i < Chunks; i++) Sender.Tell(new TokenChunk(g.RequestId, i, " tok"));
                Sender.Tell(new GenerateResult(g.RequestId, g.Model, "done", 1, Chunks, StopReason.EndOfText, NoTime));
            });
            Receive<CancelGenerate>(_ => { });
            Receive<Orchestrator.Core.Models.ModelQueries.GetModelStats>(_ => { });
        }
    }
}
