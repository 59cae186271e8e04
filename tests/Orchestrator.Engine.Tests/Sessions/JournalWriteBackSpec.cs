using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Engine.Serialization;
using Orchestrator.Engine.Tests.Support;
using Xunit.Abstractions;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>A row of the journal written before a change is written again, after it, with the values it was read with:
/// every id the same string in the same place (a task id as a dictionary key too), nothing lost. The rows are those of
/// <c>Fixtures/sessions-journal-2026-12-04.jsonl</c> (see <see cref="JournalCompatibilitySpec"/>). What may differ is
/// only how the text is spelled (a character escaped or not, the order of properties) and a property added since,
/// written as null.</summary>
public sealed class JournalWriteBackSpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private sealed record Row(string PersistenceId, long SequenceNr, string Manifest, JsonElement Payload);

    [Fact]
    public void Every_stored_row_is_written_back_with_the_values_it_was_read_with()
    {
        var serializer = new OrchestratorJsonSerializer((ExtendedActorSystem)Sys);
        var rows = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sessions-journal-2026-12-04.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<Row>(line, new JsonSerializerOptions(JsonSerializerDefaults.Web)))
            .OfType<Row>()
            .ToList();
        Assert.Equal(117, rows.Count);

        var differences = new List<string>();
        foreach (var row in rows)
        {
            var read = serializer.FromBinary(Encoding.UTF8.GetBytes(row.Payload.GetRawText()), row.Manifest);
            using var written = JsonDocument.Parse(serializer.ToBinary(read));
            if (Difference(row.Payload, written.RootElement, "$") is { } difference)
                differences.Add($"{row.PersistenceId} #{row.SequenceNr} ({row.Manifest}): {difference}");
        }

        Assert.Empty(differences);
    }

    /// <summary>Where <paramref name="written"/> holds another value than <paramref name="stored"/>, or null.</summary>
    private static string? Difference(JsonElement stored, JsonElement written, string path)
    {
        if (stored.ValueKind != written.ValueKind)
            return $"{path} was {stored.ValueKind}, is {written.ValueKind}";
        switch (stored.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in stored.EnumerateObject())
                {
                    if (!written.TryGetProperty(property.Name, out var value)) return $"{path}.{property.Name} is gone";
                    if (Difference(property.Value, value, $"{path}.{property.Name}") is { } inner) return inner;
                }
                return written.EnumerateObject()
                    .Where(p => !stored.TryGetProperty(p.Name, out _) && p.Value.ValueKind != JsonValueKind.Null)
                    .Select(p => $"{path}.{p.Name} is new, with a value")
                    .FirstOrDefault();
            case JsonValueKind.Array:
                if (stored.GetArrayLength() != written.GetArrayLength())
                    return $"{path} had {stored.GetArrayLength()} items, has {written.GetArrayLength()}";
                return stored.EnumerateArray().Zip(written.EnumerateArray())
                    .Select((pair, i) => Difference(pair.First, pair.Second, $"{path}[{i}]"))
                    .FirstOrDefault(d => d is not null);
            case JsonValueKind.String:
                return stored.GetString() == written.GetString() ? null : $"{path} was '{stored.GetString()}', is '{written.GetString()}'";
            case JsonValueKind.Number:
                return stored.GetRawText() == written.GetRawText() || stored.GetDouble().Equals(written.GetDouble())
                    ? null
                    : $"{path} was {stored.GetRawText()}, is {written.GetRawText()}";
            default:
                return null;
        }
    }
}
