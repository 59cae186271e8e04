using System.Text.Json;

namespace Orchestrator.Core.Protocol;

/// <summary>What a worker makes of a model's reply to one task: success with the output to persist, or a failure
/// reason (retryable: a model can do better next time); the warnings of every fallback used, and for a planner its
/// task list, for a scorer its verdict.</summary>
public sealed record TaskReply(
    bool Success,
    string Output,
    string? Problem,
    IReadOnlyList<ParseWarning> Warnings,
    TaskListData? TaskList = null,
    ScorerVerdict? Verdict = null);

/// <summary>How a task's reply is to be read: a planner's task list, a per-task worker's completion, a scorer's verdict,
/// or the task's own output (JSON meeting its schema when it has one, plain text otherwise).</summary>
public enum ReplyKind
{
    /// <summary>The task's own output.</summary>
    Output,
    /// <summary>A protocol <c>task_list</c>.</summary>
    TaskList,
    /// <summary>A protocol <c>completion</c>.</summary>
    Completion,
    /// <summary>A scorer's <c>{score, critique, tasks}</c>.</summary>
    Verdict,
}

/// <summary>Reads a reply the way its task expects: a planner's as a protocol <c>task_list</c>, a per-task worker's as
/// a protocol <c>completion</c> (its summary is the output; status failed is a failure), a scorer's as
/// <c>{score, critique, tasks}</c> (normalised, so the iteration policy reads it back from the output); any other task's as a JSON object meeting its output schema's <c>type</c> and
/// <c>required</c> keys when it has one, and as plain text otherwise.</summary>
internal static class TaskReplyReader
{
    internal static TaskReply Read(ReplyKind kind, string? outputSchema, string raw)
    {
        switch (kind)
        {
            case ReplyKind.TaskList:
                {
                    var parsed = ResponseParser.Parse(raw, ResponsePhase.TaskList);
                    return parsed.Success
                        ? new TaskReply(true, parsed.BodyJson!, null, parsed.Warnings, TaskList: parsed.TaskList)
                        : Fail(parsed.Reason, parsed.Warnings);
                }
            case ReplyKind.Completion:
                {
                    var parsed = ResponseParser.Parse(raw, ResponsePhase.Completion);
                    if (!parsed.Success) return Fail(parsed.Reason, parsed.Warnings);
                    var completion = parsed.Completion!;
                    return completion.Status == "failed"
                        ? Fail($"the worker reported failure: {completion.Error ?? completion.Summary}", parsed.Warnings)
                        : new TaskReply(true, completion.Summary, null, parsed.Warnings);
                }
            case ReplyKind.Verdict:
                {
                    var warnings = new List<ParseWarning>();
                    var (verdict, problem) = ScorerVerdict.Parse(raw, warnings);
                    return verdict is null
                        ? Fail(problem!, warnings)
                        : new TaskReply(true, JsonSerializer.Serialize(new
                        {
                            score = verdict.Score,
                            critique = verdict.Critique,
                            tasks = verdict.TaskScores.Keys.Union(verdict.TaskCritiques.Keys).Order(StringComparer.Ordinal).Select(id => new
                            {
                                id,
                                score = verdict.TaskScores.TryGetValue(id, out var s) ? s : (double?)null,
                                critique = verdict.TaskCritiques.GetValueOrDefault(id),
                            }),
                        }), null, warnings, Verdict: verdict);
                }
        }
        if (outputSchema is null)
            return raw.Trim().Length == 0 ? Fail("the reply is empty", []) : new TaskReply(true, raw.Trim(), null, []);

        var found = new List<ParseWarning>();
        using var doc = JsonExtraction.Extract(raw, found);
        if (doc is null) return Fail("the reply holds no JSON, even after repairs", found);
        var schemaProblem = SchemaProblem(outputSchema, doc.RootElement);
        return schemaProblem is null
            ? new TaskReply(true, doc.RootElement.GetRawText(), null, found)
            : Fail(schemaProblem, found);
    }

    /// <summary>The subset of JSON Schema that templates use: the root's <c>type</c> and <c>required</c> keys.</summary>
    private static string? SchemaProblem(string schemaText, JsonElement value)
    {
        using var schema = JsonDocument.Parse(schemaText);
        var root = schema.RootElement;
        if (root.TryGetProperty("type", out var type) && type.GetString() == "object" && value.ValueKind != JsonValueKind.Object)
            return $"the reply must be a JSON object, not {value.ValueKind}";
        if (value.ValueKind == JsonValueKind.Object && root.TryGetProperty("required", out var required)
            && required.ValueKind == JsonValueKind.Array)
        {
            var missing = required.EnumerateArray().Select(r => r.GetString()!).Where(name => !value.TryGetProperty(name, out _)).ToList();
            if (missing.Count > 0) return $"the reply lacks {string.Join(", ", missing)}";
        }
        return null;
    }

    private static TaskReply Fail(string problem, IReadOnlyList<ParseWarning> warnings) => new(false, "", problem, warnings);
}
