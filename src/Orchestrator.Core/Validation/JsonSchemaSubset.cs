using System.Globalization;
using System.Text.Json;

namespace Orchestrator.Core.Validation;

/// <summary>The subset of JSON Schema that a person's answers are held to: <c>type</c> (one name or a list),
/// <c>properties</c>, <c>required</c>, <c>additionalProperties</c> (true or false), <c>items</c>, <c>enum</c>,
/// <c>minimum</c>, <c>maximum</c>, <c>minLength</c>, <c>maxLength</c>, <c>minItems</c>, <c>maxItems</c>, and
/// <c>title</c> and <c>description</c> (read by people only). A schema using anything else is refused where it is
/// written (<see cref="Problems"/>), so that no answer is ever checked against a rule this code does not know.</summary>
public static class JsonSchemaSubset
{
    private static readonly string[] Types = ["object", "array", "string", "integer", "number", "boolean", "null"];
    private static readonly string[] Counts = ["minLength", "maxLength", "minItems", "maxItems"];
    private static readonly IReadOnlySet<string> Keywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "type", "properties", "required", "additionalProperties", "items", "enum", "minimum", "maximum",
        "minLength", "maxLength", "minItems", "maxItems", "title", "description",
    };

    /// <summary>Why <paramref name="schema"/> is not a schema of the subset (each problem names where in it, as
    /// <c>#/properties/x</c>); empty when it is one.</summary>
    public static IReadOnlyList<string> Problems(string schema)
    {
        try
        {
            using var doc = JsonDocument.Parse(schema);
            var problems = new List<string>();
            CheckSchema(doc.RootElement, "#", problems);
            return problems;
        }
        catch (JsonException e)
        {
            return [$"it is not valid JSON: {e.Message}"];
        }
    }

    /// <summary>Why <paramref name="value"/> (JSON text) does not meet <paramref name="schema"/> (a schema of the subset),
    /// naming the path that fails (<c>$.items[2].name</c>); null when it does.</summary>
    public static string? Check(string schema, string value)
    {
        JsonDocument answer;
        try
        {
            answer = JsonDocument.Parse(value);
        }
        catch (JsonException e)
        {
            return $"the value is not valid JSON: {e.Message}";
        }
        using (answer)
        using (var rules = JsonDocument.Parse(schema))
            return Check(rules.RootElement, answer.RootElement, "$");
    }

    private static void CheckSchema(JsonElement schema, string at, List<string> problems)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{at} must be a JSON object, not {Kind(schema)}");
            return;
        }
        foreach (var keyword in schema.EnumerateObject())
        {
            var v = keyword.Value;
            var where = $"{at}/{keyword.Name}";
            switch (keyword.Name)
            {
                case "type":
                    var names = v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList() : [v];
                    if (names.Count == 0 || names.Any(n => n.ValueKind != JsonValueKind.String || !Types.Contains(n.GetString())))
                        problems.Add($"{where} must be one of {string.Join(", ", Types)} or a list of them");
                    break;
                case "properties" when v.ValueKind == JsonValueKind.Object:
                    foreach (var property in v.EnumerateObject()) CheckSchema(property.Value, $"{where}/{property.Name}", problems);
                    break;
                case "properties":
                    problems.Add($"{where} must be an object of schemas");
                    break;
                case "required" when v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.String):
                    problems.Add($"{where} must be a list of property names");
                    break;
                case "additionalProperties" when v.ValueKind is not (JsonValueKind.True or JsonValueKind.False):
                    problems.Add($"{where} must be true or false");
                    break;
                case "items":
                    CheckSchema(v, where, problems);
                    break;
                case "enum" when v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0:
                    problems.Add($"{where} must be a list of one value or more");
                    break;
                case "minimum" or "maximum" when v.ValueKind != JsonValueKind.Number:
                    problems.Add($"{where} must be a number");
                    break;
                case var count when Counts.Contains(count) && !(v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n >= 0):
                    problems.Add($"{where} must be a whole number of 0 or more");
                    break;
                case "title" or "description" when v.ValueKind != JsonValueKind.String:
                    problems.Add($"{where} must be a string");
                    break;
                case var other when !Keywords.Contains(other):
                    problems.Add($"{where}: '{InputEcho.Of(other)}' is not supported (supported: {string.Join(", ", Keywords)})");
                    break;
            }
        }
    }

    private static string? Check(JsonElement schema, JsonElement value, string path)
    {
        if (schema.TryGetProperty("type", out var type))
        {
            var allowed = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
            if (!allowed.Any(t => IsOfType(value, t)))
                return $"{path} must be {string.Join(" or ", allowed)}, not {Kind(value)}";
        }
        if (schema.TryGetProperty("enum", out var choices) && !choices.EnumerateArray().Any(c => JsonElement.DeepEquals(c, value)))
            return $"{path} must be one of {string.Join(", ", choices.EnumerateArray().Select(c => c.GetRawText()))}";
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                var number = value.GetDouble();
                if (schema.TryGetProperty("minimum", out var min) && number < min.GetDouble()) return $"{path} must be at least {min.GetRawText()}";
                if (schema.TryGetProperty("maximum", out var max) && number > max.GetDouble()) return $"{path} must be at most {max.GetRawText()}";
                break;
            case JsonValueKind.String:
                return Count(schema, value.GetString()!.Length, path, "minLength", "maxLength", "characters");
            case JsonValueKind.Array:
                if (Count(schema, value.GetArrayLength(), path, "minItems", "maxItems", "items") is { } size) return size;
                if (schema.TryGetProperty("items", out var items))
                {
                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                        if (Check(items, item, $"{path}[{i++}]") is { } problem) return problem;
                }
                break;
            case JsonValueKind.Object:
                if (schema.TryGetProperty("required", out var required))
                    foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                        if (!value.TryGetProperty(name, out _)) return $"{path}.{name} is required";
                var properties = schema.TryGetProperty("properties", out var p) ? p : default;
                var closed = schema.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind == JsonValueKind.False;
                foreach (var property in value.EnumerateObject())
                {
                    var at = $"{path}.{InputEcho.Of(property.Name)}";
                    if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var rule))
                    {
                        if (Check(rule, property.Value, at) is { } problem) return problem;
                    }
                    else if (closed)
                        return $"{at} is not a property the schema allows";
                }
                break;
        }
        return null;
    }

    private static string? Count(JsonElement schema, int count, string path, string minKey, string maxKey, string unit)
    {
        if (schema.TryGetProperty(minKey, out var min) && count < min.GetInt32()) return $"{path} must have at least {min.GetInt32()} {unit}";
        if (schema.TryGetProperty(maxKey, out var max) && count > max.GetInt32()) return $"{path} must have at most {max.GetInt32()} {unit}";
        return null;
    }

    private static bool IsOfType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && IsWhole(value),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => false,
    };

    private static bool IsWhole(JsonElement number) =>
        number.TryGetInt64(out _) || (double.TryParse(number.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && Math.Floor(d) == d);

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => IsWhole(value) ? "an integer" : "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
