using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Ids;

namespace Orchestrator.Core.Tests.Ids;

/// <summary>A session id and a task id in JSON are their text, as values and as dictionary keys, so that journals
/// written when they were strings read the same; a payload whose id breaks the id's rule is refused.</summary>
public sealed class IdJsonSpec
{
    /// <summary>The journal serializer's options (<c>CatalogJsonSerializer.Options</c>), which Core does not see.</summary>
    private static readonly JsonSerializerOptions Options = CreateOptions();

    private sealed record Carrier(
        SessionId SessionId, TaskId TaskId, IReadOnlyList<TaskId> TaskIds, IReadOnlyDictionary<TaskId, string> Critiques,
        TaskId? Blocker);

    private const string CarrierJson =
        """{"sessionId":"s1","taskId":"write","taskIds":["write","review-a"],"critiques":{"write":"shorter","review-a":"cite"},"blocker":null}""";

    [Fact]
    public void Typed_ids_are_written_as_the_strings_they_were()
    {
        var carrier = Sample();

        Assert.Equal(CarrierJson, JsonSerializer.Serialize(carrier, Options));
    }

    [Fact]
    public void Typed_ids_read_back_equal()
    {
        var back = JsonSerializer.Deserialize<Carrier>(CarrierJson, Options);

        Assert.NotNull(back);
        var sample = Sample();
        Assert.Equal(sample.SessionId, back.SessionId);
        Assert.Equal(sample.TaskId, back.TaskId);
        Assert.Equal(sample.TaskIds, back.TaskIds);
        Assert.Equal(sample.Critiques, back.Critiques);
        Assert.Null(back.Blocker);
        Assert.Equal(TaskId.Parse("x-1"), JsonSerializer.Deserialize<TaskId?>("\"x-1\"", Options));
    }

    [Theory]
    [InlineData("""{"sessionId":"bad id!","taskId":"write","taskIds":[],"critiques":{},"blocker":null}""", "session id 'bad id!' must be")]
    [InlineData("""{"sessionId":"s1","taskId":"a/b","taskIds":[],"critiques":{},"blocker":null}""", "task id 'a/b' must be")]
    [InlineData("""{"sessionId":"s1","taskId":"write","taskIds":["-x"],"critiques":{},"blocker":null}""", "task id '-x' must be")]
    [InlineData("""{"sessionId":"s1","taskId":"write","taskIds":[],"critiques":{"a b":"c"},"blocker":null}""", "task id 'a b' must be")]
    [InlineData("""{"sessionId":"s1","taskId":"","taskIds":[],"critiques":{},"blocker":null}""", "task id '' must be")]
    [InlineData("""{"sessionId":7,"taskId":"write","taskIds":[],"critiques":{},"blocker":null}""", "a session id must be a JSON string, not Number")]
    [InlineData("""{"sessionId":null,"taskId":"write","taskIds":[],"critiques":{},"blocker":null}""", "a session id must be a JSON string, not Null")]
    [InlineData("""{"sessionId":"s1","taskId":{"value":"write"},"taskIds":[],"critiques":{},"blocker":null}""", "a task id must be a JSON string, not StartObject")]
    public void An_invalid_id_in_a_payload_is_refused_saying_what_was_wrong(string json, string message)
    {
        var refused = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Carrier>(json, Options));

        Assert.StartsWith(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_default_id_which_was_never_parsed_is_not_written()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Serialize(default(SessionId), Options));
        Assert.Throws<JsonException>(() => JsonSerializer.Serialize(new Dictionary<TaskId, int> { [default] = 1 }, Options));
    }

    private static Carrier Sample() => new(
        SessionId.Parse("s1"), TaskId.Parse("write"), [TaskId.Parse("write"), TaskId.Parse("review-a")],
        new Dictionary<TaskId, string> { [TaskId.Parse("write")] = "shorter", [TaskId.Parse("review-a")] = "cite" },
        null);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return options;
    }
}
