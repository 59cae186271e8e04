using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Orchestrator.Api.Contracts;

/// <summary>The API's JSON: web defaults (camelCase names, case-insensitive reading) with enums as snake_case strings,
/// and ASP.NET Core's relaxed escaping, byte for byte as the node writes every reply; orch reads them with it.</summary>
public static class ApiJson
{
    /// <summary>The naming of enum values on the wire (<c>all_approve</c>, <c>retry_waiting</c>).</summary>
    public static JsonNamingPolicy EnumNaming { get; } = JsonNamingPolicy.SnakeCaseLower;

    /// <summary>The shared options, read-only: ASP.NET Core's HTTP JSON options (web defaults, relaxed escaping: the
    /// body is not embedded in HTML) plus <see cref="Configure"/>.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Adds what the API's JSON needs beyond the web defaults to <paramref name="options"/> (the node's HTTP options).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new JsonStringEnumConverter(EnumNaming));
        return options;
    }

    /// <summary>An enum value as the API writes it.</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => EnumNaming.ConvertName(value.ToString());

    private static JsonSerializerOptions CreateOptions()
    {
        var options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        });
        options.MakeReadOnly();
        return options;
    }
}
