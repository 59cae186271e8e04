using System.Text.Json;
using Orchestrator.Core.Protocol;

namespace Orchestrator.Core.Protocol;

/// <summary>A scorer's reply: an overall score in [0, 1], a critique, and optionally a score and critique per task.</summary>
public sealed record ScorerVerdict(
    double Score,
    string Critique,
    IReadOnlyDictionary<string, double> TaskScores,
    IReadOnlyDictionary<string, string> TaskCritiques)
{
    /// <summary>Reads <c>{"score": 0.7, "critique": "...", "tasks": [{"id": "x", "score": 0.4, "critique": "..."}]}</c>,
    /// with the protocol's fallbacks (markers optional, fences, repairs), each a warning. A score written on a scale of
    /// 10 or 100 is brought to [0, 1] with a warning. Null and a problem when nothing usable is there.</summary>
    internal static (ScorerVerdict? Verdict, string? Problem) Parse(string reply, List<ParseWarning> warnings)
    {
        var text = reply;
        var start = reply.IndexOf(ResponseParser.StartMarker, StringComparison.Ordinal);
        if (start >= 0)
        {
            var from = start + ResponseParser.StartMarker.Length;
            var end = reply.IndexOf(ResponseParser.EndMarker, from, StringComparison.Ordinal);
            text = end < 0 ? reply[from..] : reply[from..end];
        }
        using var doc = JsonExtraction.Extract(text, warnings);
        if (doc is null || doc.RootElement.ValueKind != JsonValueKind.Object) return (null, "the scorer's reply holds no JSON object");
        var root = doc.RootElement;
        if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && !root.TryGetProperty("score", out _))
            root = data;
        if (!root.TryGetProperty("score", out var scoreValue) || scoreValue.ValueKind != JsonValueKind.Number)
            return (null, "the scorer's reply has no numeric score");
        var score = Normalize(scoreValue.GetDouble(), "score", warnings);
        if (score is null) return (null, $"score {scoreValue.GetDouble()} is not between 0 and 1 (or 10, or 100)");
        var critique = root.TryGetProperty("critique", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";

        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var critiques = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("tasks", out var tasks) && tasks.ValueKind == JsonValueKind.Array)
        {
            foreach (var t in tasks.EnumerateArray())
            {
                if (t.ValueKind != JsonValueKind.Object || !t.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
                    continue;
                if (t.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number
                    && Normalize(s.GetDouble(), $"tasks.{id.GetString()}.score", warnings) is { } taskScore)
                    scores[id.GetString()!] = taskScore;
                if (t.TryGetProperty("critique", out var tc) && tc.ValueKind == JsonValueKind.String)
                    critiques[id.GetString()!] = tc.GetString()!;
            }
        }
        return (new ScorerVerdict(score.Value, critique, scores, critiques), null);
    }

    private static double? Normalize(double value, string what, List<ParseWarning> warnings)
    {
        if (double.IsNaN(value) || value < 0) return null;
        if (value <= 1) return value;
        var scale = value <= 10 ? 10 : value <= 100 ? 100 : 0;
        if (scale == 0) return null;
        warnings.Add(new("score-scale", $"{what} {value} read as {value / scale} on a scale of {scale}"));
        return value / scale;
    }
}
