using System.Globalization;
using Akka.Configuration.Hocon;
using Orchestrator.Core.Validation;
using Orchestrator.Core.Workflows;

namespace Orchestrator.Engine.Workflows;

/// <summary>Reads typed fields from HOCON objects; a missing field is null, a field of the wrong type is a problem
/// at its line (and null), never an exception.</summary>
internal sealed class FieldReader(string file, HoconLineIndex lines, List<TemplateProblem> problems)
{
    internal SourceLocation At(string path) => new(file, lines.LineOf(path));

    internal void Problem(string path, string code, string message) => problems.Add(new(code, message, At(path)));

    internal void UnknownKeys(HoconObject obj, string path, IReadOnlySet<string> known)
    {
        foreach (var key in obj.Items.Keys.Where(k => !known.Contains(k)))
            Problem($"{path}.{key}", "unknown-key", $"'{key}' is not a key of {path} (known: {string.Join(", ", known.Order())})");
    }

    internal HoconObject? Object(HoconObject obj, string path, string key)
    {
        if (!obj.Items.TryGetValue(key, out var v)) return null;
        if (v.GetObject() is { } o) return o;
        Problem($"{path}.{key}", "invalid-value", $"{path}.{key} must be an object");
        return null;
    }

    internal string? String(HoconObject obj, string path, string key) =>
        Read(obj, path, key, "a string", v => v.IsString() ? v.GetString() : throw new FormatException());

    internal int? Int(HoconObject obj, string path, string key) =>
        Read<int?>(obj, path, key, "an integer", v => int.Parse(Text(v), NumberStyles.Integer, CultureInfo.InvariantCulture));

    internal long? Long(HoconObject obj, string path, string key) =>
        Read<long?>(obj, path, key, "an integer", v => long.Parse(Text(v), NumberStyles.Integer, CultureInfo.InvariantCulture));

    internal double? Double(HoconObject obj, string path, string key) =>
        Read<double?>(obj, path, key, "a number", v => double.Parse(Text(v), NumberStyles.Float, CultureInfo.InvariantCulture));

    internal bool? Bool(HoconObject obj, string path, string key) => Read<bool?>(obj, path, key, "true or false", v => v.GetBoolean());

    internal TimeSpan? Duration(HoconObject obj, string path, string key) =>
        Read<TimeSpan?>(obj, path, key, "a duration such as 500ms, 30s, 5m, 1h", v => v.GetTimeSpan(allowInfinite: false));

    internal IReadOnlyList<string> StringList(HoconObject obj, string path, string key) =>
        Read<IReadOnlyList<string>>(obj, path, key, "a list of strings",
            v => v.IsArray() && v.GetArray().All(e => e.IsString()) ? v.GetStringList().ToList() : throw new FormatException()) ?? [];

    private static string Text(HoconValue v) => v.IsString() ? v.GetString() : throw new FormatException();

    private T? Read<T>(HoconObject obj, string path, string key, string expected, Func<HoconValue, T> read)
    {
        if (!obj.Items.TryGetValue(key, out var value) || value.IsEmpty) return default;
        try
        {
            return read(value);
        }
        catch (Exception e) when (e is FormatException or OverflowException or NotSupportedException or ArgumentException
                                      or InvalidOperationException or NullReferenceException)
        {
            Problem($"{path}.{key}", "invalid-value", $"{path}.{key} must be {expected}");
            return default;
        }
    }
}
