using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Llama.Pool;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Llama.Tests;

public sealed class ModelManagerConfigSpec() : TestKit("""
    akka.loglevel = WARNING
    akka.actor.serialize-messages = on
    """)
{
    [Fact]
    public void The_manager_serves_its_models_at_user_models()
    {
        var models = Sys.StartModelManager([new PoolSettings("tiny", TestModels.Tiny, ContextSize: 512, Sequences: 2, Threads: 1)]);
        Assert.Equal("/user/models", models.Path.ToStringWithoutAddress());
        models.Tell(ModelManager.ListModels.Instance);
        Assert.True(ExpectMsg<ModelManager.ModelList>().Running["tiny"]);
        models.Tell(new Generate("cfg", "tiny", Prompt: "configured", Sampling: SamplingOptions.Greedy with { IgnoreEos = true },
            MaxTokens: 3, Stream: false));
        Assert.Equal(3, ExpectMsg<GenerateResult>(TimeSpan.FromSeconds(60)).CompletionTokens);
        models.Tell(new ModelManager.GetPoolStatus("tiny"));
        var status = ExpectMsg<ModelPool.PoolStatus>();
        Assert.Equal(2 + 64, status.Capacity);
        Assert.Contains("2 sequences of 256 tokens", status.Description);
    }
}
