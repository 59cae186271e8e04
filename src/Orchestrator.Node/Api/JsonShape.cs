using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Orchestrator.Core.Validation;

namespace Orchestrator.Node.Api;

/// <summary>Checks a request body, parsed, against the contract it must bind to, before it is bound: every field the
/// contract does not have, every null in a list or map, every value of the wrong type and every number out of its
/// type's range, each named by its path (<c>members[1].name</c>). What passes binds without an exception.</summary>
public static class JsonShape
{
    private const int MostUnknownNamed = 10;

    /// <summary>Every problem of <paramref name="body"/> as a <paramref name="type"/> read with
    /// <paramref name="options"/>; empty when it fits.</summary>
    public static IReadOnlyList<string> Problems(JsonElement body, Type type, JsonSerializerOptions options)
    {
        var problems = new List<string>();
        Check(body, type, "", options, problems);
        return problems;
    }

    private static void Check(JsonElement value, Type type, string path, JsonSerializerOptions options, List<string> problems)
    {
        if (value.ValueKind == JsonValueKind.Null) return; // a field's null is "not given"; lists and maps refuse theirs
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(JsonElement)) return; // any JSON: the contract reads it itself
        if (t == typeof(string))
        {
            if (value.ValueKind != JsonValueKind.String) problems.Add($"{Name(path)} must be a string, not {Shown(value)}");
        }
        else if (t == typeof(int))
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out _))
                problems.Add($"{Name(path)} must be a whole number from {int.MinValue} to {int.MaxValue}, not {Shown(value)}");
        }
        else if (t == typeof(long))
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _))
                problems.Add($"{Name(path)} must be a whole number from {long.MinValue} to {long.MaxValue}, not {Shown(value)}");
        }
        else if (t == typeof(double))
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var d) || !double.IsFinite(d))
                problems.Add($"{Name(path)} must be a finite number, not {Shown(value)}");
        }
        else if (t == typeof(bool))
        {
            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                problems.Add($"{Name(path)} must be true or false, not {Shown(value)}");
        }
        else if (Arguments(t, typeof(IReadOnlyDictionary<,>)) is [_, var valueType])
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{Name(path)} must be an object, not {Shown(value)}");
                return;
            }
            foreach (var entry in value.EnumerateObject())
            {
                var at = $"{path}.{InputEcho.Of(entry.Name)}";
                if (entry.Value.ValueKind == JsonValueKind.Null) problems.Add($"{Name(at)} must not be null");
                else Check(entry.Value, valueType, at, options, problems);
            }
        }
        else if (Arguments(t, typeof(IEnumerable<>)) is [var elementType])
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{Name(path)} must be an array, not {Shown(value)}");
                return;
            }
            var i = 0;
            foreach (var element in value.EnumerateArray())
            {
                var at = $"{path}[{i++}]";
                if (element.ValueKind == JsonValueKind.Null) problems.Add($"{Name(at)} must not be null");
                else Check(element, elementType, at, options, problems);
            }
        }
        else
        {
            CheckObject(value, options.GetTypeInfo(t), path, options, problems);
        }
    }

    private static void CheckObject(JsonElement value, JsonTypeInfo info, string path, JsonSerializerOptions options, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{(path.Length == 0 ? "the body" : Name(path))} must be a JSON object, not {Shown(value)}");
            return;
        }
        var comparer = options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var properties = info.Properties.ToDictionary(p => p.Name, comparer);
        var unknown = new List<string>();
        foreach (var field in value.EnumerateObject())
        {
            if (properties.TryGetValue(field.Name, out var property))
                Check(field.Value, property.PropertyType, path.Length == 0 ? field.Name : $"{path}.{field.Name}", options, problems);
            else
                unknown.Add(InputEcho.Of(field.Name));
        }
        if (unknown.Count == 0) return;
        var named = string.Join(", ", unknown.Take(MostUnknownNamed).Select(n => $"'{n}'")) +
                    (unknown.Count > MostUnknownNamed ? $" and {unknown.Count - MostUnknownNamed} more" : "");
        problems.Add($"{(path.Length == 0 ? "the body" : Name(path))} has unknown field{(unknown.Count == 1 ? "" : "s")} {named} " +
                     $"(it takes {string.Join(", ", info.Properties.Select(p => p.Name))})");
    }

    /// <summary>The type arguments of <paramref name="generic"/> as <paramref name="type"/> implements it, or null.</summary>
    private static Type[]? Arguments(Type type, Type generic)
    {
        if (type == typeof(string)) return null;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == generic) return type.GetGenericArguments();
        return type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic)?.GetGenericArguments();
    }

    private static string Name(string path) => $"field '{(path.StartsWith('.') ? path[1..] : path)}'";

    private static string Shown(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{InputEcho.Of(value.GetString())}\"",
        _ => InputEcho.Of(value.GetRawText()),
    };
}
