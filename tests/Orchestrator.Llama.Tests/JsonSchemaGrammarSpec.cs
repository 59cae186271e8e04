using System.Text.Json;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Llama.Grammar;
using Orchestrator.Llama.Pool;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Llama.Tests;

public sealed class JsonSchemaGrammarSpec : TestKit
{
    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "name": { "type": "string", "minLength": 1, "maxLength": 12 },
            "age": { "type": "integer" },
            "score": { "type": "number" },
            "tags": { "type": "array", "items": { "enum": ["red", "green", "blue"] }, "maxItems": 3 },
            "active": { "type": "boolean" },
            "note": { "type": ["string", "null"], "maxLength": 8 }
          },
          "required": ["name", "age", "tags", "active"]
        }
        """;

    public JsonSchemaGrammarSpec() : base("akka.loglevel = WARNING\nakka.actor.serialize-messages = on") { }

    [Fact]
    public void A_random_weight_model_produces_schema_valid_json_for_every_seed()
    {
        var models = Sys.ActorOf(ModelManager.Props([ModelPoolSpec.Settings("tiny", sequences: 4)]), "models");
        const int seeds = 24;
        for (var seed = 0; seed < seeds; seed++)
            models.Tell(new Generate($"json-{seed}", "tiny", Prompt: "Describe a person as JSON:",
                Sampling: new SamplingOptions(Temperature: 1.2f, TopK: 0, TopP: 1f, MinP: 0f, Seed: (uint)seed),
                MaxTokens: 400, JsonSchema: Schema, Stream: false));
        var texts = new HashSet<string>();
        for (var i = 0; i < seeds; i++)
        {
            var reply = ExpectMsg<object>(TimeSpan.FromSeconds(120));
            var result = Assert.IsType<GenerateResult>(reply);
            Assert.Equal(StopReason.EndOfText, result.StopReason);
            AssertMatchesSchema(result.Text);
            texts.Add(result.Text);
        }
        Assert.True(texts.Count > seeds / 2, "different seeds should give different JSON");
    }

    private static void AssertMatchesSchema(string text)
    {
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        var name = root.GetProperty("name").GetString()!;
        Assert.InRange(name.Length, 1, 12);
        Assert.True(root.GetProperty("age").TryGetInt64(out _), text);
        var tags = root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.InRange(tags.Count, 0, 3);
        Assert.All(tags, t => Assert.Contains(t, new[] { "red", "green", "blue" }));
        Assert.Contains(root.GetProperty("active").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        if (root.TryGetProperty("score", out var score)) Assert.Equal(JsonValueKind.Number, score.ValueKind);
        if (root.TryGetProperty("note", out var note))
            Assert.True(note.ValueKind == JsonValueKind.Null || note.GetString()!.Length <= 8, text);
        var allowed = new[] { "name", "age", "score", "tags", "active", "note" };
        Assert.All(root.EnumerateObject(), p => Assert.Contains(p.Name, allowed));
    }

    [Fact]
    public void Strings_stay_inside_printable_ascii()
    {
        var grammar = JsonSchemaToGbnf.Convert("""{"type":"string","maxLength":5}""");
        Assert.Contains("char ::= [ !#-\\[\\]-~]", grammar);
        Assert.DoesNotContain("[^", grammar);
        Assert.Contains("char{0,5}", grammar);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"type":"wat"}""")]
    [InlineData("""{"type":"string","minLength":5,"maxLength":2}""")]
    [InlineData("""{"type":"object","properties":{},"required":["x"]}""")]
    [InlineData("""{"$ref":"#/$defs/missing"}""")]
    [InlineData("""{"enum":[]}""")]
    public void Invalid_schemas_are_rejected_with_a_reason(string schema) =>
        Assert.False(string.IsNullOrWhiteSpace(Assert.Throws<JsonSchemaException>(() => JsonSchemaToGbnf.Convert(schema)).Message));

    [Fact]
    public void References_and_alternatives_convert()
    {
        var grammar = JsonSchemaToGbnf.Convert("""
            {"$defs":{"point":{"type":"object","properties":{"x":{"type":"number"}},"required":["x"]}},
             "anyOf":[{"$ref":"#/$defs/point"},{"type":"null"}]}
            """);
        Assert.StartsWith("root ::= (point-ref-", grammar);
        Assert.Contains("\"\\\"x\\\"\"", grammar);
    }
}
