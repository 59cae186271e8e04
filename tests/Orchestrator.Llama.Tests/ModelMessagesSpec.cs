using Orchestrator.Core.Catalog;
using Orchestrator.Core.Messaging;
using Orchestrator.Messages;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Llama.Tests;

public sealed class ModelMessagesSpec
{
    [Theory]
    [InlineData(typeof(Generate), "generate.v1")]
    [InlineData(typeof(TokenChunk), "token-chunk.v1")]
    [InlineData(typeof(GenerateResult), "generate-result.v1")]
    [InlineData(typeof(GenerateFailed), "generate-failed.v1")]
    [InlineData(typeof(Overloaded), "overloaded.v1")]
    [InlineData(typeof(CancelGenerate), "cancel-generate.v1")]
    public void Every_model_message_is_registered_under_its_manifest(Type type, string manifest)
    {
        Assert.True(MessageCatalog.Default.TryGetManifest(type, out var name));
        Assert.Equal(manifest, name);
        Assert.True(typeof(IClusterMessage).IsAssignableFrom(type));
    }

    [Fact]
    public void Model_messages_round_trip_through_system_text_json()
    {
        var g = new Generate("r", "m", Messages: [new ChatTurn("user", "hi")], Sampling: new SamplingOptions(Seed: 3),
            Stop: ["x"], JsonSchema: "{}", Timeout: TimeSpan.FromSeconds(2));
        var json = System.Text.Json.JsonSerializer.Serialize(g);
        var back = System.Text.Json.JsonSerializer.Deserialize<Generate>(json)!;
        Assert.Equal(g.Sampling, back.Sampling);
        Assert.Equal(g.Messages![0], back.Messages![0]);
        Assert.Equal(g.Timeout, back.Timeout);
        var result = new GenerateResult("r", "m", "t", 1, 2, StopReason.StopString,
            new GenerateTimings(TimeSpan.Zero, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(3)));
        Assert.Equal(result, System.Text.Json.JsonSerializer.Deserialize<GenerateResult>(System.Text.Json.JsonSerializer.Serialize(result)));
    }
}
