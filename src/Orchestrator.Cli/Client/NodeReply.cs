using System.Text.Json;
using Orchestrator.Api.Contracts;

namespace Orchestrator.Cli.Client;

/// <summary>A reply of the node: the document as it came (what <c>--json</c> prints) and, read on first use, its contract.</summary>
public sealed class NodeReply<T>(JsonElement json)
{
    private T? _value;
    private bool _read;

    /// <summary>The reply's JSON document, unchanged.</summary>
    public JsonElement Json { get; } = json;

    /// <summary>The reply as its contract (<see cref="ApiJson"/>'s options); default when the reply had no body.</summary>
    public T Value
    {
        get
        {
            if (!_read)
            {
                _value = Json.ValueKind == JsonValueKind.Undefined ? default : Json.Deserialize<T>(ApiJson.Options);
                _read = true;
            }
            return _value!;
        }
    }
}
