using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Llama.Grammar;

/// <summary>Converts a JSON schema to a GBNF grammar for llama.cpp's grammar sampler: objects (declared property
/// order, required and optional properties), arrays (item schema, min/max items), strings (min/max length, enum,
/// const), numbers and integers, booleans, null, <c>anyOf</c>/<c>oneOf</c>, type lists and local <c>$ref</c>s.
/// String characters are printable ASCII (and JSON escapes) only, so even a random-weight model with byte-fallback
/// tokens can only produce valid UTF-8.</summary>
public sealed class JsonSchemaToGbnf
{
    private const string Primitives = """
        ws ::= | " "
        char ::= [ !#-\[\]-~] | "\\" ["\\/bfnrt]
        string ::= "\"" char{0,64} "\""
        integer ::= "-"? ("0" | [1-9] [0-9]{0,15})
        number ::= integer ("." [0-9]{1,15})? ([eE] [-+]? [0-9]{1,2})?
        fraction ::= "0" ("." [0-9]{1,6})? | "1" ("." "0"{1,6})?
        boolean ::= "true" | "false"
        null ::= "null"
        value ::= object | array | string | number | boolean | null
        object ::= "{" ws ( string ws ":" ws value ( ws "," ws string ws ":" ws value ){0,15} )? ws "}"
        array ::= "[" ws ( value ( ws "," ws value ){0,15} )? ws "]"
        """;

    private readonly JsonNode _root;
    private readonly Dictionary<string, string> _rules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _refRules = new(StringComparer.Ordinal);
    private int _counter;

    private JsonSchemaToGbnf(JsonNode root) => _root = root;

    /// <summary>The grammar (root rule <c>root</c>) for the schema in <paramref name="schemaJson"/>.</summary>
    public static string Convert(string schemaJson)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(schemaJson);
        }
        catch (JsonException e)
        {
            throw new JsonSchemaException($"The JSON schema is not valid JSON: {e.Message}");
        }
        if (node is null) throw new JsonSchemaException("The JSON schema is null.");
        var converter = new JsonSchemaToGbnf(node);
        var top = converter.Visit(node, "#");
        var sb = new StringBuilder();
        sb.Append("root ::= ").Append(top).Append('\n');
        foreach (var (name, body) in converter._rules) sb.Append(name).Append(" ::= ").Append(body).Append('\n');
        sb.Append(Primitives).Append('\n');
        return sb.ToString();
    }

    private string NewRule(string hint, string body)
    {
        var name = $"{Sanitize(hint)}-{_counter++}";
        _rules[name] = body;
        return name;
    }

    private static string Sanitize(string hint)
    {
        var s = new string(hint.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-');
        return s.Length == 0 ? "r" : s.Length > 24 ? s[..24].Trim('-') : s;
    }

    /// <summary>A GBNF expression for <paramref name="schema"/> at JSON pointer <paramref name="at"/>.</summary>
    private string Visit(JsonNode? schema, string at)
    {
        switch (schema)
        {
            case null:
                return "value";
            case JsonValue v when v.TryGetValue<bool>(out var b):
                return b ? "value" : throw new JsonSchemaException($"Schema at {at} is 'false': nothing can match it.");
            case not JsonObject:
                throw new JsonSchemaException($"Schema at {at} must be an object or a boolean.");
        }
        var obj = (JsonObject)schema;
        if (obj["$ref"] is { } reference) return VisitRef(reference.GetValue<string>(), at);
        if (obj["const"] is { } constant) return Literal(constant.ToJsonString());
        if (obj["enum"] is { } enumNode)
        {
            if (enumNode is not JsonArray { Count: > 0 } values)
                throw new JsonSchemaException($"Schema at {at}: 'enum' must be a non-empty array.");
            return "(" + string.Join(" | ", values.Select(x => Literal(x?.ToJsonString() ?? "null"))) + ")";
        }
        foreach (var key in new[] { "anyOf", "oneOf" })
            if (obj[key] is { } alternatives)
            {
                if (alternatives is not JsonArray { Count: > 0 } list)
                    throw new JsonSchemaException($"Schema at {at}: '{key}' must be a non-empty array.");
                return "(" + string.Join(" | ", list.Select((x, i) => Visit(x, $"{at}/{key}/{i}"))) + ")";
            }
        var type = obj["type"];
        if (type is JsonArray types)
            return "(" + string.Join(" | ", types.Select((t, i) => VisitType(obj, t?.GetValue<string>(), $"{at}/type/{i}"))) + ")";
        if (type is null)
        {
            if (obj["properties"] is not null) return VisitType(obj, "object", at);
            if (obj["items"] is not null) return VisitType(obj, "array", at);
            return "value";
        }
        return VisitType(obj, GetString(type, at, "type"), at);
    }

    private string VisitType(JsonObject obj, string? type, string at) => type switch
    {
        "object" => VisitObject(obj, at),
        "array" => VisitArray(obj, at),
        "string" => VisitString(obj, at),
        "integer" => "integer",
        "number" => IsFraction(obj) ? "fraction" : "number",
        "boolean" => "boolean",
        "null" => "null",
        _ => throw new JsonSchemaException($"Schema at {at} has unsupported type '{type}'."),
    };

    /// <summary>A number held to [0, 1] (a score): written as a plain decimal, so no exponent can leave the range.</summary>
    private static bool IsFraction(JsonObject obj) =>
        obj["minimum"] is JsonValue min && min.TryGetValue<double>(out var lo) && lo >= 0
        && obj["maximum"] is JsonValue max && max.TryGetValue<double>(out var hi) && hi <= 1;

    private string VisitObject(JsonObject obj, string at)
    {
        var properties = obj["properties"] as JsonObject ?? [];
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (obj["required"] is JsonArray req)
            foreach (var r in req) required.Add(r?.GetValue<string>() ?? "");
        foreach (var r in required)
            if (!properties.ContainsKey(r))
                throw new JsonSchemaException($"Schema at {at} requires '{r}', which is not among its properties.");
        var names = properties.Select(p => p.Key).ToList();
        if (names.Count == 0) return NewRule("object", "\"{\" ws \"}\"");
        var kv = names.Select((n, i) => NewRule($"{n}-kv",
            $"{Literal(JsonSerializer.Serialize(n))} ws \":\" ws {Visit(properties[n], $"{at}/properties/{n}")}")).ToList();
        // rest(i, first): the properties from i on, where 'first' means none has been written yet (no comma before).
        var restFirst = new string[names.Count + 1];
        var restAfter = new string[names.Count + 1];
        restFirst[names.Count] = restAfter[names.Count] = "";
        for (var i = names.Count - 1; i >= 0; i--)
        {
            var tailAfter = restAfter[i + 1];
            if (required.Contains(names[i]))
            {
                restFirst[i] = $"{kv[i]} {tailAfter}".Trim();
                restAfter[i] = NewRule("after", $"ws \",\" ws {kv[i]} {tailAfter}".Trim());
            }
            else
            {
                var take = $"{kv[i]} {tailAfter}".Trim();
                restFirst[i] = restFirst[i + 1].Length == 0
                    ? NewRule("first", $"( {take} )?")
                    : NewRule("first", $"{take} | {restFirst[i + 1]}");
                restAfter[i] = NewRule("after", $"( ws \",\" ws {kv[i]} )? {tailAfter}".Trim());
            }
        }
        return NewRule("object", $"\"{{\" ws {restFirst[0]} ws \"}}\"");
    }

    private string VisitArray(JsonObject obj, string at)
    {
        var item = Visit(obj["items"], $"{at}/items");
        var min = GetInt(obj, "minItems", at) ?? 0;
        var max = GetInt(obj, "maxItems", at);
        if (max < min) throw new JsonSchemaException($"Schema at {at}: maxItems {max} is less than minItems {min}.");
        if (max == 0) return NewRule("array", "\"[\" ws \"]\"");
        var more = $"( ws \",\" ws {item} ){{{Math.Max(0, min - 1)},{(max is { } m ? (m - 1).ToString() : "")}}}";
        var body = min == 0 ? $"( {item} {more} )?" : $"{item} {more}";
        return NewRule("array", $"\"[\" ws {body} ws \"]\"");
    }

    private string VisitString(JsonObject obj, string at)
    {
        var min = GetInt(obj, "minLength", at) ?? 0;
        var max = GetInt(obj, "maxLength", at);
        if (max < min) throw new JsonSchemaException($"Schema at {at}: maxLength {max} is less than minLength {min}.");
        if (min == 0 && max is null) return NewRule("string", "\"\\\"\" char* \"\\\"\"");
        return NewRule("string", $"\"\\\"\" char{{{min},{max?.ToString() ?? ""}}} \"\\\"\"");
    }

    private string VisitRef(string reference, string at)
    {
        if (_refRules.TryGetValue(reference, out var existing)) return existing;
        if (!reference.StartsWith("#", StringComparison.Ordinal))
            throw new JsonSchemaException($"Schema at {at}: only local references (#/...) are supported, not '{reference}'.");
        JsonNode? target = _root;
        foreach (var part in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var key = part.Replace("~1", "/").Replace("~0", "~");
            target = target is JsonObject o && o.TryGetPropertyValue(key, out var next)
                ? next
                : throw new JsonSchemaException($"Schema at {at}: reference '{reference}' does not resolve.");
        }
        var name = $"{Sanitize(reference.Split('/').Last())}-ref-{_counter++}";
        _refRules[reference] = name;
        _rules[name] = "";
        _rules[name] = Visit(target, reference);
        return name;
    }

    private static int? GetInt(JsonObject obj, string key, string at)
    {
        if (obj[key] is not { } node) return null;
        try
        {
            var n = node.GetValue<int>();
            return n >= 0 ? n : throw new JsonSchemaException($"Schema at {at}: '{key}' must not be negative.");
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new JsonSchemaException($"Schema at {at}: '{key}' must be a non-negative integer.");
        }
    }

    private static string GetString(JsonNode node, string at, string key)
    {
        try
        {
            return node.GetValue<string>();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new JsonSchemaException($"Schema at {at}: '{key}' must be a string.");
        }
    }

    /// <summary>A GBNF string literal matching <paramref name="text"/> exactly.</summary>
    internal static string Literal(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in text)
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        return sb.Append('"').ToString();
    }
}
