using System.Text.Json;

namespace Orchestrator.Core.Protocol;

/// <summary>Finds JSON inside free text, strictest way first: the whole text, a fenced <c>```json</c> block, the first
/// balanced object that parses, then <see cref="JsonRepair"/>. Every way but the first adds a warning.</summary>
internal static class JsonExtraction
{
    private const int MaxCandidates = 64;

    /// <summary>The parsed document, or null when no way reads it; <paramref name="warnings"/> gets one per fallback used.</summary>
    internal static JsonDocument? Extract(string text, List<ParseWarning> warnings)
    {
        if (TryParse(text.Trim()) is { } whole) return whole;

        if (FencedBlock(text) is { } fenced && TryParse(fenced) is { } fromFence)
        {
            warnings.Add(new("fenced-json", "read the JSON from a fenced ```json block"));
            return fromFence;
        }

        if (FirstBalancedObject(text) is { } balanced)
        {
            warnings.Add(new("balanced-object", "read the first balanced JSON object in the text"));
            return balanced;
        }

        if (JsonRepair.Repair(FencedBlock(text) ?? text) is var (json, repairs) && TryParse(json) is { } repaired)
        {
            warnings.Add(new("repaired", $"repaired the JSON: {string.Join(", ", repairs)}"));
            return repaired;
        }
        return null;
    }

    internal static JsonDocument? TryParse(string text)
    {
        if (text.Length == 0 || (text[0] != '{' && text[0] != '[')) return null;
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The content of the first <c>```json</c> block (or a bare <c>```</c> block starting with <c>{</c>),
    /// up to its closing fence or the end of the text.</summary>
    internal static string? FencedBlock(string text)
    {
        var at = 0;
        while ((at = text.IndexOf("```", at, StringComparison.Ordinal)) >= 0)
        {
            var lineEnd = text.IndexOf('\n', at);
            if (lineEnd < 0) return null;
            var info = text[(at + 3)..lineEnd].Trim();
            var end = text.IndexOf("```", lineEnd, StringComparison.Ordinal);
            var body = (end < 0 ? text[(lineEnd + 1)..] : text[(lineEnd + 1)..end]).Trim();
            if (info.Equals("json", StringComparison.OrdinalIgnoreCase) || (info.Length == 0 && body.StartsWith('{')))
                return body;
            if (end < 0) return null;
            at = end + 3;
        }
        return null;
    }

    /// <summary>The first span from a <c>{</c> to its matching <c>}</c> (double-quoted strings respected) that parses.</summary>
    private static JsonDocument? FirstBalancedObject(string text)
    {
        var start = text.IndexOf('{');
        for (var tries = 0; start >= 0 && tries < MaxCandidates; tries++)
        {
            var end = MatchingBrace(text, start);
            if (end > start && TryParse(text[start..(end + 1)]) is { } doc) return doc;
            start = text.IndexOf('{', start + 1);
        }
        return null;
    }

    private static int MatchingBrace(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            }
            else if (c == '"') inString = true;
            else if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i;
        }
        return -1;
    }
}
