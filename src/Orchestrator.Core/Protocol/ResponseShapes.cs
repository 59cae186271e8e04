using System.Text.Json;

namespace Orchestrator.Core.Protocol;

/// <summary>Checks the <c>data</c> of each phase against its shape and reads it into its record; a problem names the
/// JSON path (<c>data.tasks[2].id</c>). Fields beyond the shape are allowed.</summary>
internal static class ResponseShapes
{
    internal static ProtocolParseResult Read(ProtocolParseResult result, ResponsePhase phase, JsonElement data)
    {
        var problems = new List<string>();
        var reader = new Reader(problems);
        ProtocolParseResult typed = phase switch
        {
            ResponsePhase.Analysis => result with
            {
                Analysis = new AnalysisData(
                    reader.String(data, "summary", "data", required: true) ?? "",
                    reader.Int(data, "recommended_splits", "data"),
                    reader.Strings(data, "key_files", "data"),
                    reader.OneOf(data, "estimated_complexity", "data", "low", "medium", "high")),
            },
            ResponsePhase.TaskList => result with { TaskList = new TaskListData(Tasks(reader, data, problems)) },
            ResponsePhase.Progress => result with
            {
                Progress = new ProgressData(
                    reader.String(data, "task_id", "data", required: true) ?? "",
                    reader.String(data, "status", "data", required: true) ?? "",
                    reader.Number(data, "progress_percent", "data", 0, 100),
                    reader.String(data, "current_action", "data")),
            },
            ResponsePhase.Completion => result with
            {
                Completion = new CompletionData(
                    reader.String(data, "task_id", "data", required: true) ?? "",
                    reader.OneOf(data, "status", "data", "success", "failed", "partial") ?? Missing(problems, "data.status"),
                    reader.String(data, "summary", "data", required: true) ?? "",
                    reader.Strings(data, "output_files", "data"),
                    reader.String(data, "error", "data")),
            },
            ResponsePhase.Aggregation => result with
            {
                Aggregation = new AggregationData(
                    reader.String(data, "summary", "data", required: true) ?? "",
                    reader.String(data, "output", "data"),
                    reader.Strings(data, "conflicts", "data")),
            },
            _ => result,
        };
        return problems.Count == 0
            ? typed
            : new ProtocolParseResult(false, phase, result.BodyJson, result.Warnings, problems, result.RawText);
    }

    private static string Missing(List<string> problems, string path)
    {
        if (!problems.Any(p => p.StartsWith(path, StringComparison.Ordinal))) problems.Add($"{path} is required");
        return "";
    }

    private static IReadOnlyList<ProposedTask> Tasks(Reader reader, JsonElement data, List<string> problems)
    {
        if (!data.TryGetProperty("tasks", out var tasks) || tasks.ValueKind != JsonValueKind.Array)
        {
            problems.Add("data.tasks must be an array of tasks");
            return [];
        }
        if (tasks.GetArrayLength() == 0) problems.Add("data.tasks must not be empty");
        var list = new List<ProposedTask>();
        var i = 0;
        foreach (var task in tasks.EnumerateArray())
        {
            var path = $"data.tasks[{i++}]";
            if (task.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{path} must be an object");
                continue;
            }
            list.Add(new ProposedTask(
                reader.String(task, "id", path, required: true) ?? "",
                reader.String(task, "title", path, required: true) ?? "",
                reader.String(task, "description", path),
                reader.Strings(task, "scope", path),
                reader.Int(task, "priority", path) ?? 0,
                reader.Strings(task, "dependencies", path),
                reader.String(task, "role", path)));
        }
        return list;
    }

    private sealed class Reader(List<string> problems)
    {
        internal string? String(JsonElement obj, string name, string path, bool required = false)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                if (required) problems.Add($"{path}.{name} is required");
                return null;
            }
            if (v.ValueKind != JsonValueKind.String)
            {
                problems.Add($"{path}.{name} must be a string, not {v.ValueKind}");
                return null;
            }
            var s = v.GetString()!;
            if (required && s.Trim().Length == 0) problems.Add($"{path}.{name} must not be empty");
            return s;
        }

        internal string? OneOf(JsonElement obj, string name, string path, params string[] allowed)
        {
            var s = String(obj, name, path);
            if (s is null || allowed.Contains(s, StringComparer.Ordinal)) return s;
            problems.Add($"{path}.{name} must be one of {string.Join(", ", allowed)}, not '{s}'");
            return null;
        }

        internal int? Int(JsonElement obj, string name, string path)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)) return i;
            problems.Add($"{path}.{name} must be an integer");
            return null;
        }

        internal double? Number(JsonElement obj, string name, string path, double min, double max)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind == JsonValueKind.Number && v.GetDouble() is var d && d >= min && d <= max) return d;
            problems.Add($"{path}.{name} must be a number from {min} to {max}");
            return null;
        }

        internal IReadOnlyList<string> Strings(JsonElement obj, string name, string path)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return [];
            if (v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
                return v.EnumerateArray().Select(e => e.GetString()!).ToList();
            problems.Add($"{path}.{name} must be an array of strings");
            return [];
        }
    }
}
