using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Core.Ids;

/// <summary>The JSON shape of a text id (<see cref="SessionId"/>, <see cref="TaskId"/>): a plain JSON string, as a
/// value and as a dictionary key, so that journals written when ids were strings read the same. What is read is
/// checked by the id's own rule; anything else (not a string, or a string the rule refuses) is a
/// <see cref="JsonException"/> that says what was wrong.</summary>
internal abstract class IdJsonConverter<TId> : JsonConverter<TId> where TId : struct
{
    /// <summary>What the id is, as a message names it (<c>session id</c>).</summary>
    protected abstract string What { get; }

    /// <summary>The id <paramref name="text"/> is, or null with why not.</summary>
    protected abstract TId? Parse(string? text, out string? problem);

    /// <summary>The text of <paramref name="id"/>; null for a default id, which was never parsed.</summary>
    protected abstract string? TextOf(TId id);

    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override TId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? FromText(reader.GetString())
            : throw new JsonException($"a {What} must be a JSON string, not {reader.TokenType}");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(TextOf(value) ?? throw Unset());

    /// <inheritdoc />
    public override TId ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        FromText(reader.GetString());

    /// <inheritdoc />
    public override void WriteAsPropertyName(Utf8JsonWriter writer, TId value, JsonSerializerOptions options) =>
        writer.WritePropertyName(TextOf(value) ?? throw Unset());

    private TId FromText(string? text) =>
        Parse(text, out var problem) ?? throw new JsonException(problem ?? $"invalid {What}");

    private JsonException Unset() => new($"a default {What} has no text to write: it was never parsed");
}
