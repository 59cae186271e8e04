using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Core.Ids;

/// <summary>The JSON shape of a text id (<see cref="ITextId{TSelf}"/>): a plain JSON string, as a value and as a
/// dictionary key, so that journals written when ids were strings read the same. What is read is checked by the id's
/// own rule, once; anything else (not a string, or a string the rule refuses) is a <see cref="JsonException"/> that
/// says what was wrong.</summary>
internal sealed class TextIdJsonConverter<TId> : JsonConverter<TId> where TId : struct, ITextId<TId>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override TId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? FromText(reader.GetString())
            : throw new JsonException($"a {TId.Kind} must be a JSON string, not {reader.TokenType}");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(TextOf(value));

    /// <inheritdoc />
    public override TId ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        FromText(reader.GetString());

    /// <inheritdoc />
    public override void WriteAsPropertyName(Utf8JsonWriter writer, TId value, JsonSerializerOptions options) =>
        writer.WritePropertyName(TextOf(value));

    private static TId FromText(string? text) =>
        TId.TryParse(text, out var id) ? id : throw new JsonException(TId.Problem(text) ?? $"invalid {TId.Kind}");

    private static string TextOf(TId id) =>
        id.Value ?? throw new JsonException($"a default {TId.Kind} has no text to write: it was never parsed");
}
