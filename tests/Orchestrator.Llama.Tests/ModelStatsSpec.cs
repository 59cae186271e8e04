using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Models;
using Orchestrator.Llama.Native;
using Orchestrator.Llama.Pool;
using static Orchestrator.Core.Models.ModelMessages;
using static Orchestrator.Core.Models.ModelQueries;

namespace Orchestrator.Llama.Tests;

/// <summary>The model actor's queries: the configured models with whether each is loaded, and a pool's live figures
/// (queue, active sequences, tokens/s, requests served, failed and refused).</summary>
public sealed class ModelStatsSpec : TestKit
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public ModelStatsSpec() : base("akka.loglevel = WARNING\nakka.actor.serialize-messages = on")
    {
    }

    private static Generate Greedy(string id, string model, int maxTokens) =>
        new(id, model, Prompt: "Tell me everything", Sampling: SamplingOptions.Greedy with { IgnoreEos = true },
            MaxTokens: maxTokens, Stream: false);

    private ModelStats Stats(IActorRef models, string model)
    {
        models.Tell(new GetModelStats(model));
        return ExpectMsg<ModelStats>();
    }

    [Fact]
    public void The_configured_models_are_listed_with_their_settings_and_become_loaded()
    {
        var models = Sys.ActorOf(ModelManager.Props([
            new PoolSettings("tiny", TestModels.Tiny, ContextSize: 512, Sequences: 2, Threads: 1, BatchSize: 64, PrefillChunk: 32),
        ]));

        AwaitAssert(() =>
        {
            models.Tell(GetModels.Instance);
            var info = Assert.Single(ExpectMsg<ModelsServed>().Models);
            Assert.Equal(new ModelInfo("tiny", TestModels.Tiny, 512, 2, 1, Loaded: true, LlamaRuntime.Variant, ModelServing.Serving), info);
        }, Deadline, TimeSpan.FromMilliseconds(50));
        var stats = Stats(models, "tiny");
        Assert.True(stats.Loaded);
        Assert.Contains(stats.NativeVariant, new[] { "avx512", "avx2", "avx", "noavx" });

        models.Tell(new GetModelStats("nope"));
        var missing = ExpectMsg<ModelNotServed>();
        Assert.Equal(["tiny"], missing.Served);
    }

    [Fact]
    public void Served_and_failed_requests_and_generated_tokens_are_counted_with_a_rate()
    {
        var models = Sys.ActorOf(ModelManager.Props([
            new PoolSettings("tiny", TestModels.Tiny, ContextSize: 512, Sequences: 2, Threads: 1, BatchSize: 64, PrefillChunk: 32),
        ]));
        models.Tell(Greedy("a", "tiny", 8));
        models.Tell(Greedy("b", "tiny", 5));
        ExpectMsg<GenerateResult>(Deadline);
        ExpectMsg<GenerateResult>(Deadline);
        models.Tell(Greedy("bad", "tiny", 0));
        ExpectMsg<GenerateFailed>();

        var stats = Stats(models, "tiny");

        Assert.Equal(2, stats.RequestsServed);
        Assert.Equal(1, stats.RequestsFailed);
        Assert.Equal(0, stats.RequestsRejected);
        Assert.Equal(13, stats.TokensGenerated);
        Assert.True(stats.TokensPerSecond > 0, $"tokens/s {stats.TokensPerSecond}");
        Assert.Equal((0, 0, 2), (stats.QueueLength, stats.ActiveSequences, stats.Sequences));
    }

    [Fact]
    public void A_busy_pool_shows_its_active_sequence_its_queue_and_the_requests_it_refused()
    {
        var models = Sys.ActorOf(ModelManager.Props([
            new PoolSettings("big", TestModels.Tiny, ContextSize: 16_384, Sequences: 1, Threads: 1, BatchSize: 256, PrefillChunk: 32,
                QueueSize: 1),
        ]));
        models.Tell(Greedy("running", "big", 100_000));
        models.Tell(Greedy("waiting", "big", 100_000));
        models.Tell(Greedy("refused", "big", 1));
        Assert.Equal("refused", ExpectMsg<Overloaded>(Deadline).RequestId);

        AwaitAssert(() =>
        {
            var stats = Stats(models, "big");
            Assert.Equal((1, 1, 1), (stats.ActiveSequences, stats.QueueLength, stats.RequestsRejected));
        }, Deadline, TimeSpan.FromMilliseconds(20));

        models.Tell(new CancelGenerate("waiting", "big"));
        models.Tell(new CancelGenerate("running", "big"));
        ExpectMsg<GenerateResult>(Deadline);
        ExpectMsg<GenerateResult>(Deadline);
        AwaitAssert(() => Assert.Equal(2, Stats(models, "big").RequestsServed), Deadline);
    }
}
