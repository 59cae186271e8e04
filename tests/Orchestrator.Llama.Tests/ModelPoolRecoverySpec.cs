using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Llama.Gguf;
using Orchestrator.Llama.Pool;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Llama.Tests;

public sealed class ModelPoolRecoverySpec : TestKit
{
    public ModelPoolRecoverySpec() : base("akka.loglevel = WARNING\nakka.actor.serialize-messages = on") { }

    [Fact]
    public void A_bad_model_file_fails_requests_with_the_reason_and_the_pool_recovers_once_the_file_is_fixed()
    {
        TestModels.EnsureNative();
        var path = TestModels.TempFile("broken.gguf");
        TinyModel.CreateWriter(TinyModelSpec.Tiny).Set("llama.block_count", GgufValueType.UInt32, 0u).Write(path);
        var settings = ModelPoolSpec.Settings("flaky") with { Path = path };
        var models = Sys.ActorOf(ModelManager.Props([settings], TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400)));
        var request = new Generate("r1", "flaky", Prompt: "hi", Sampling: SamplingOptions.Greedy, MaxTokens: 3, Stream: false);

        models.Tell(request);
        var failed = ExpectMsg<GenerateFailed>(TimeSpan.FromSeconds(30));
        Assert.Equal(FailureCodes.PoolFailed, failed.Code);
        Assert.Contains("block_count", failed.Reason);

        TinyModel.Write(path, TinyModelSpec.Tiny);
        AwaitAssert(() =>
        {
            models.Tell(request with { RequestId = Guid.NewGuid().ToString() });
            var reply = ExpectMsg<object>(TimeSpan.FromSeconds(30));
            Assert.IsType<GenerateResult>(reply);
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Every_request_sent_while_a_pool_fails_and_restarts_is_answered()
    {
        TestModels.EnsureNative();
        var path = TestModels.TempFile("broken-burst.gguf");
        TinyModel.CreateWriter(TinyModelSpec.Tiny).Set("llama.block_count", GgufValueType.UInt32, 0u).Write(path);
        var settings = ModelPoolSpec.Settings("burst") with { Path = path };
        var models = Sys.ActorOf(ModelManager.Props([settings], TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50)));

        // Requests keep arriving while the pool fails, is stopped and started again (and fails again): none is lost.
        const int requests = 200;
        for (var i = 0; i < requests; i++)
            models.Tell(new Generate($"b{i}", "burst", Prompt: "hi", Sampling: SamplingOptions.Greedy, MaxTokens: 3, Stream: false));
        // Each is refused: the failure, or Overloaded when it found the queue full before the model failed.
        var answered = new List<string>();
        for (var i = 0; i < requests; i++)
        {
            switch (ExpectMsg<object>(TimeSpan.FromSeconds(30)))
            {
                case GenerateFailed f:
                    Assert.Equal(FailureCodes.PoolFailed, f.Code);
                    answered.Add(f.RequestId);
                    break;
                case Overloaded o:
                    answered.Add(o.RequestId);
                    break;
                case var other:
                    throw new Xunit.Sdk.XunitException($"unexpected reply {other}");
            }
        }

        Assert.Equal(requests, answered.Distinct().Count());
    }

    [Fact]
    public async Task Requests_in_flight_get_an_error_when_their_pool_stops_and_the_manager_starts_it_again()
    {
        var models = Sys.ActorOf(ModelManager.Props([ModelPoolSpec.Settings("tiny", sequences: 1, context: 16_384)], TimeSpan.FromMilliseconds(100),
            TimeSpan.FromMilliseconds(400)), "models");
        var endless = new Generate("endless", "tiny", Prompt: "go", Sampling: SamplingOptions.Greedy with { IgnoreEos = true },
            MaxTokens: 1_000_000);
        models.Tell(endless);
        ExpectMsg<TokenChunk>(TimeSpan.FromSeconds(60));
        var pool = await Sys.ActorSelection("/user/models/pool-tiny").ResolveOne(TimeSpan.FromSeconds(5));
        pool.Tell(PoisonPill.Instance);
        var failed = FishForMessage<object>(m => m is GenerateFailed, TimeSpan.FromSeconds(60)) as GenerateFailed;
        Assert.Equal(FailureCodes.PoolFailed, failed!.Code);
        Assert.Contains("stopped", failed.Reason);
        await AwaitAssertAsync(() =>
        {
            models.Tell(new Generate(Guid.NewGuid().ToString(), "tiny", Prompt: "again", Sampling: SamplingOptions.Greedy,
                MaxTokens: 2, Stream: false));
            Assert.IsType<GenerateResult>(FishForMessage<object>(m => m is GenerateResult or GenerateFailed, TimeSpan.FromSeconds(30)));
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_missing_model_file_is_an_error_reply_naming_the_file()
    {
        TestModels.EnsureNative();
        var settings = ModelPoolSpec.Settings("ghost") with { Path = "/nonexistent/ghost.gguf" };
        var models = Sys.ActorOf(ModelManager.Props([settings], TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)));
        models.Tell(new Generate("g1", "ghost", Prompt: "hi"));
        var failed = ExpectMsg<GenerateFailed>(TimeSpan.FromSeconds(30));
        Assert.Contains("ghost.gguf", failed.Reason);
        Assert.Contains("does not exist", failed.Reason);
    }
}
