using System.Text.Json;

namespace Orchestrator.Core.Protocol;

/// <summary>Reads a model's reply in the orchestrator protocol: a JSON body between <see cref="StartMarker"/> and
/// <see cref="EndMarker"/> whose <c>phase</c> names its shape. Falls back to a fenced block, the first balanced object
/// and repairs, each with a warning; a reply nothing can read is a failure that keeps the raw text.</summary>
internal static class ResponseParser
{
    internal const string StartMarker = "<<<ORCHESTRATOR_RESPONSE>>>";
    internal const string EndMarker = "<<<END_ORCHESTRATOR_RESPONSE>>>";

    /// <summary>Parses <paramref name="raw"/>; with <paramref name="expected"/> given, another phase is a problem.</summary>
    internal static ProtocolParseResult Parse(string raw, ResponsePhase? expected = null)
    {
        var warnings = new List<ParseWarning>();
        var text = raw;
        var start = raw.IndexOf(StartMarker, StringComparison.Ordinal);
        if (start >= 0)
        {
            var bodyStart = start + StartMarker.Length;
            var end = raw.IndexOf(EndMarker, bodyStart, StringComparison.Ordinal);
            if (end < 0) warnings.Add(new("missing-end-marker", $"the reply has {StartMarker} but no {EndMarker}"));
            text = end < 0 ? raw[bodyStart..] : raw[bodyStart..end];
        }
        else
        {
            warnings.Add(new("no-markers", $"the reply has no {StartMarker} … {EndMarker} block"));
        }

        using var doc = JsonExtraction.Extract(text, warnings);
        if (doc is null) return Failed(raw, warnings, "no JSON object could be read from the reply, even after repairs");

        var root = doc.RootElement;
        var body = root.GetRawText();
        if (root.ValueKind != JsonValueKind.Object) return Failed(raw, warnings, "the reply's JSON must be an object", body);
        if (!root.TryGetProperty("phase", out var phaseValue) || phaseValue.ValueKind != JsonValueKind.String)
            return Failed(raw, warnings, "phase is required: one of " + string.Join(", ", ResponsePhases.ByName.Keys), body);
        if (!ResponsePhases.ByName.TryGetValue(phaseValue.GetString()!, out var phase))
            return Failed(raw, warnings,
                $"phase '{phaseValue.GetString()}' is not one of {string.Join(", ", ResponsePhases.ByName.Keys)}", body);
        if (expected is { } want && want != phase)
            return Failed(raw, warnings, $"phase is '{ResponsePhases.Name(phase)}' where '{ResponsePhases.Name(want)}' was expected", body);
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            return Failed(raw, warnings, "data is required and must be an object", body) with { Phase = phase };

        var ok = new ProtocolParseResult(true, phase, body, warnings, [], raw);
        return ResponseShapes.Read(ok, phase, data);
    }

    private static ProtocolParseResult Failed(string raw, List<ParseWarning> warnings, string problem, string? body = null) =>
        new(false, null, body, warnings, [problem], raw);
}
