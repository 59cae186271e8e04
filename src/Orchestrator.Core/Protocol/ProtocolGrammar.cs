using System.Text;

namespace Orchestrator.Core.Protocol;

/// <summary>Builds the GBNF grammar (llama.cpp's grammar format) of protocol replies, so that a model constrained by it
/// writes the markers and a body of the right shape. Strings, arrays and whitespace are bounded, so even a model with
/// random weights ends its reply. Dependencies naming real task ids cannot be said in a grammar; the parser checks them.</summary>
internal static class ProtocolGrammar
{
    /// <summary>Bounds of the grammar: characters per string, items per array, tasks per task list.</summary>
    internal sealed record Options(int MaxStringLength = 200, int MaxArrayItems = 8, int MaxTasks = 16);

    /// <summary>The grammar of a reply in <paramref name="phase"/>, or of a reply in any phase when null.</summary>
    internal static string Build(ResponsePhase? phase = null, Options? options = null)
    {
        var o = options ?? new Options();
        var phases = phase is { } p ? [p] : Enum.GetValues<ResponsePhase>();
        var sb = new StringBuilder();
        sb.AppendLine($"root ::= \"{ResponseParser.StartMarker}\" \"\\n\" body \"\\n\" \"{ResponseParser.EndMarker}\"");
        sb.AppendLine("body ::= " + string.Join(" | ", phases.Select(RuleName)));
        foreach (var each in phases)
        {
            sb.AppendLine($"{RuleName(each)} ::= \"{{\" ws {Key("phase")} \"\\\"{ResponsePhases.Name(each)}\\\"\" \",\" ws {Key("data")} {RuleName(each)}-data ws \"}}\"");
            sb.AppendLine($"{RuleName(each)}-data ::= " + Object(DataFields(each)));
        }
        if (phases.Contains(ResponsePhase.TaskList))
        {
            sb.AppendLine($"task-array ::= \"[\" ws task (\",\" ws task){{0,{o.MaxTasks - 1}}} ws \"]\"");
            sb.AppendLine("task ::= " + Object([
                ("id", "id-string"), ("title", "string"), ("description", "string"),
                ("priority", "integer"), ("dependencies", "id-array")]));
        }
        sb.AppendLine($"string ::= \"\\\"\" char{{0,{o.MaxStringLength}}} \"\\\"\"");
        // Unicode scalar values only: a negated class would admit surrogates and lead bytes past U+10FFFF, i.e. invalid UTF-8.
        sb.AppendLine("char ::= [ !#-\\[\\]-~\\u0080-\\uD7FF\\uE000-\\U0010FFFF] | \"\\\\\" ([\"\\\\/bfnrt] | \"u\" [0-9a-fA-F]{4})");
        sb.AppendLine("id-string ::= " + ProposedTaskId.Gbnf);
        sb.AppendLine($"string-array ::= \"[\" ws (string (\",\" ws string){{0,{o.MaxArrayItems - 1}}})? ws \"]\"");
        sb.AppendLine($"id-array ::= \"[\" ws (id-string (\",\" ws id-string){{0,{o.MaxArrayItems - 1}}})? ws \"]\"");
        sb.AppendLine("integer ::= \"-\"? [0-9]{1,6}");
        sb.AppendLine("percent ::= [0-9]{1,2} (\".\" [0-9]{1,2})? | \"100\"");
        sb.AppendLine("complexity ::= \"\\\"low\\\"\" | \"\\\"medium\\\"\" | \"\\\"high\\\"\"");
        sb.AppendLine("completion-status ::= \"\\\"success\\\"\" | \"\\\"failed\\\"\" | \"\\\"partial\\\"\"");
        sb.AppendLine("ws ::= [ \\t\\n]{0,2}");
        return sb.ToString();
    }

    private static string RuleName(ResponsePhase phase) => ResponsePhases.Name(phase).Replace('_', '-');

    private static string Key(string name) => $"\"\\\"{name}\\\":\" ws";

    private static string Object(IEnumerable<(string Key, string Rule)> fields) =>
        "\"{\" ws " + string.Join(" \",\" ws ", fields.Select(f => $"{Key(f.Key)} {f.Rule}")) + " ws \"}\"";

    private static (string, string)[] DataFields(ResponsePhase phase) => phase switch
    {
        ResponsePhase.Analysis =>
            [("summary", "string"), ("recommended_splits", "integer"), ("key_files", "string-array"), ("estimated_complexity", "complexity")],
        ResponsePhase.TaskList => [("tasks", "task-array")],
        ResponsePhase.Progress =>
            [("task_id", "id-string"), ("status", "string"), ("progress_percent", "percent"), ("current_action", "string")],
        ResponsePhase.Completion =>
            [("task_id", "id-string"), ("status", "completion-status"), ("summary", "string"), ("output_files", "string-array")],
        ResponsePhase.Aggregation => [("summary", "string"), ("output", "string"), ("conflicts", "string-array")],
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "not a protocol phase"),
    };
}
