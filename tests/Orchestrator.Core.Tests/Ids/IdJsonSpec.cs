using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;

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

    /// <summary>Payloads as a node of 2026-12-04 wrote them, when the ids were strings (rows of the journal fixture
    /// <c>sessions-journal-2026-12-04.jsonl</c>, and an iteration's start in the same shape).</summary>
    public static TheoryData<Type, string> WrittenBefore => new()
    {
        {
            typeof(DecisionRecorded),
            """{"sessionId":"demo-20261204-171818","chosen":["structure"],"heldBack":[{"taskId":"characters","reason":"spacing"},{"taskId":"pacing","reason":"spacing"}],"heldBackCounts":{"spacing":2},"at":"2026-12-04T17:18:19.7556479+00:00"}"""
        },
        {
            typeof(TaskSkipped),
            """{"sessionId":"fixture-council","taskId":"qa-review","reason":"input 'implement' failed","at":"2026-12-04T17:20:42.6026249+00:00"}"""
        },
        {
            typeof(IterationStarted),
            """{"sessionId":"s1","iteration":2,"taskIds":["pacing","style"],"critiques":{"pacing":"slower","style":"plainer"},"at":"2026-12-04T17:20:42+00:00"}"""
        },
        {
            typeof(ConflictDetected),
            """{"sessionId":"s1","taskId":"low","blockedBy":"high","overlap":"src/** ~ src/a","resolution":"higher priority","at":"2026-12-04T17:20:42+00:00"}"""
        },
    };

    [Theory]
    [MemberData(nameof(WrittenBefore))]
    public void A_session_event_written_when_ids_were_strings_reads_and_writes_back_the_same(Type type, string json)
    {
        var read = (IPersistedEvent?)JsonSerializer.Deserialize(json, type, Options);

        Assert.NotNull(read);
        Assert.Equal(json, JsonSerializer.Serialize(read, type, Options));
    }

    [Fact]
    public void A_session_event_with_typed_ids_is_written_as_before_and_reads_back_equal()
    {
        var started = new IterationStarted(
            SessionId.Parse("s1"), 2, [TaskId.Parse("pacing"), TaskId.Parse("style")],
            new Dictionary<TaskId, string> { [TaskId.Parse("pacing")] = "slower", [TaskId.Parse("style")] = "plainer" },
            new DateTimeOffset(2026, 12, 4, 17, 20, 42, TimeSpan.Zero));
        const string before =
            """{"sessionId":"s1","iteration":2,"taskIds":["pacing","style"],"critiques":{"pacing":"slower","style":"plainer"},"at":"2026-12-04T17:20:42+00:00"}""";

        Assert.Equal(before, JsonSerializer.Serialize(started, Options));
        var back = JsonSerializer.Deserialize<IterationStarted>(before, Options);
        Assert.NotNull(back);
        Assert.Equal(started.SessionId, back.SessionId);
        Assert.Equal(started.TaskIds, back.TaskIds);
        Assert.Equal(started.Critiques, back.Critiques);
    }

    [Fact]
    public void A_session_event_whose_task_id_breaks_the_rule_is_refused()
    {
        const string corrupt = """{"sessionId":"s1","taskId":"qa review","reason":"r","at":"2026-12-04T17:20:42+00:00"}""";

        var refused = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TaskSkipped>(corrupt, Options));

        Assert.StartsWith("task id 'qa review' must be 1 to", refused.Message, StringComparison.Ordinal);
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
