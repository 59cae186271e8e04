using System.Text.Json;
using Orchestrator.Api.Contracts;

namespace Orchestrator.Node.Api.Mapping;

/// <summary>An engine event as the JSON a contract carries: its runtime type's fields, with the API's options.</summary>
internal static class EventJson
{
    public static JsonElement Of(object e) => JsonSerializer.SerializeToElement(e, e.GetType(), ApiJson.Options);
}
