using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Orchestrator.Messages;

namespace Orchestrator.Client.Serialization;

/// <summary>Serializes messages as UTF-8 JSON, named by the manifests of a <see cref="ManifestCatalog"/>. A received or
/// stored manifest is only ever looked up in that registry: no type is loaded by name. The node's serializer and an
/// outside application's (<see cref="ContractJsonSerializer"/>) are this one over different catalogs, under one id.</summary>
public abstract class CatalogJsonSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer id bound in <c>akka.actor.serialization-identifiers</c>, the same on both sides.</summary>
    public const int SerializerId = 4127;

    private readonly ManifestCatalog _catalog;

    /// <summary>The options every payload is written and read with.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>A serializer of the messages <paramref name="catalog"/> names.</summary>
    protected CatalogJsonSerializer(ExtendedActorSystem system, ManifestCatalog catalog) : base(system)
    {
        _catalog = catalog;
    }

    /// <inheritdoc />
    public override int Identifier => SerializerId;

    /// <inheritdoc />
    public override string Manifest(object o) =>
        _catalog.TryGetManifest(o.GetType(), out var manifest)
            ? manifest
            : throw new SerializationException(
                $"{o.GetType().FullName} has no manifest in this serializer's catalog: register it with its protocol's manifests.");

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        // Manifest() throws for unregistered types, so nothing unregistered is ever written.
        Manifest(obj);
        return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!_catalog.TryGetType(manifest, out var type))
            throw new SerializationException(
                $"Unknown manifest '{manifest}': no registered type has it (data written by a newer version, or corrupted).");
        try
        {
            return JsonSerializer.Deserialize(bytes, type, Options)
                   ?? throw new SerializationException($"Payload of manifest '{manifest}' is JSON null.");
        }
        catch (JsonException e)
        {
            throw new SerializationException(
                $"Payload of manifest '{manifest}' is not valid for {type.Name}: {e.Message}", e);
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            // Text as it is, not escaped: the default encoder writes every non-ASCII character and every HTML-sensitive
            // one (<, >, &, ', +, ") as a six-byte \u escape (< as \u003C), which made a session's input up to six times its size in
            // each row that carries it. Payloads are never embedded in HTML; quotes, backslashes and control characters
            // are still escaped, as JSON requires. Rows written escaped read the same.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
