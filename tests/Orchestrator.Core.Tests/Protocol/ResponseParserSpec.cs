using System.Text.RegularExpressions;
using Orchestrator.Core.Protocol;

namespace Orchestrator.Core.Tests.Protocol;

public class ResponseParserSpec
{
    private const string Analysis = """{"phase": "analysis", "data": {"summary": "three modules", "recommended_splits": 3, "key_files": ["a.cs"], "estimated_complexity": "medium"}}""";

    private static string Wrapped(string body) => $"Sure.\n{ResponseParser.StartMarker}\n{body}\n{ResponseParser.EndMarker}\nbye";

    [Fact]
    public void Marked_reply_parses_without_warnings()
    {
        var result = ResponseParser.Parse(Wrapped(Analysis));

        Assert.True(result.Success, result.Reason);
        Assert.Empty(result.Warnings);
        Assert.Equal(ResponsePhase.Analysis, result.Phase);
        Assert.Equal(new AnalysisData("three modules", 3, result.Analysis!.KeyFiles, "medium"), result.Analysis);
        Assert.Equal(["a.cs"], result.Analysis.KeyFiles);
    }

    [Fact]
    public void Fenced_json_block_is_a_fallback_with_a_warning()
    {
        var result = ResponseParser.Parse($"Here you go:\n```json\n{Analysis}\n```\nDone.");

        Assert.True(result.Success, result.Reason);
        Assert.Equal(["no-markers", "fenced-json"], result.Warnings.Select(w => w.Code));
    }

    [Fact]
    public void First_balanced_object_is_a_fallback_with_a_warning()
    {
        var result = ResponseParser.Parse($"I think {{not json}} but then {Analysis} and {{\"x\": 1}}");

        Assert.True(result.Success, result.Reason);
        Assert.Equal("balanced-object", result.Warnings[^1].Code);
    }

    [Theory]
    [InlineData("{'phase': 'analysis', 'data': {'summary': 'it\\'s fine', 'key_files': ['a',],},}", "single quotes")]
    [InlineData("{\"phase\": \"analysis\", \"data\": {\"summary\": \"cut off", "unclosed")]
    [InlineData("{\"phase\": \"analysis\", \"data\": {\"summary\": \"x\", \"key_files\": [\"a\", \"b\",]}", "trailing commas")]
    public void Broken_json_is_repaired_with_a_warning_naming_the_repair(string reply, string repair)
    {
        var result = ResponseParser.Parse(Wrapped(reply));

        Assert.True(result.Success, result.Reason);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("repaired", warning.Code);
        Assert.Contains(repair, warning.Message);
    }

    [Fact]
    public void Missing_end_marker_is_a_warning()
    {
        var result = ResponseParser.Parse($"{ResponseParser.StartMarker}\n{Analysis}");

        Assert.True(result.Success, result.Reason);
        Assert.Equal("missing-end-marker", Assert.Single(result.Warnings).Code);
    }

    [Fact]
    public void Unreadable_reply_fails_and_keeps_the_raw_text()
    {
        const string raw = "I could not do this task, sorry.";
        var result = ResponseParser.Parse(raw);

        Assert.False(result.Success);
        Assert.Equal(raw, result.RawText);
        Assert.NotEmpty(result.Problems);
    }

    [Fact]
    public void Task_list_is_validated_against_its_shape_with_paths()
    {
        var body = """{"phase": "task_list", "data": {"tasks": [{"id": "t1", "title": "A", "priority": 2, "dependencies": []}, {"title": 5, "dependencies": "t1"}]}}""";
        var result = ResponseParser.Parse(Wrapped(body));

        Assert.False(result.Success);
        Assert.Contains("data.tasks[1].id is required", result.Problems);
        Assert.Contains(result.Problems, p => p.StartsWith("data.tasks[1].title must be a string"));
        Assert.Contains("data.tasks[1].dependencies must be an array of strings", result.Problems);
    }

    [Fact]
    public void Valid_task_list_is_read_into_proposed_tasks()
    {
        var body = """{"phase": "task_list", "data": {"tasks": [{"id": "t1", "title": "A", "priority": 2}, {"id": "t2", "title": "B", "dependencies": ["t1"], "role": "writer"}]}}""";
        var tasks = ResponseParser.Parse(Wrapped(body)).TaskList!.Tasks;

        Assert.Equal(2, tasks[0].Priority);
        Assert.Equal(["t1"], tasks[1].Dependencies);
        Assert.Equal("writer", tasks[1].Role);
    }

    [Theory]
    [InlineData("""{"phase": "progress", "data": {"task_id": "t", "status": "running", "progress_percent": 150}}""", "progress_percent")]
    [InlineData("""{"phase": "completion", "data": {"task_id": "t", "status": "done", "summary": "s"}}""", "status must be one of")]
    [InlineData("""{"phase": "aggregation", "data": {}}""", "data.summary is required")]
    [InlineData("""{"phase": "planning", "data": {}}""", "'planning' is not one of")]
    [InlineData("""{"phase": "analysis"}""", "data is required")]
    public void Each_phase_is_checked_against_its_own_shape(string body, string problem)
    {
        var result = ResponseParser.Parse(Wrapped(body));

        Assert.False(result.Success);
        Assert.Contains(result.Problems, p => p.Contains(problem));
    }

    [Fact]
    public void Expected_phase_is_enforced()
    {
        var result = ResponseParser.Parse(Wrapped(Analysis), ResponsePhase.Completion);
        Assert.False(result.Success);
        Assert.Contains("expected", result.Reason);
    }

    [Fact]
    public void Completion_and_aggregation_are_read()
    {
        var completion = ResponseParser.Parse(Wrapped("""{"phase": "completion", "data": {"task_id": "t", "status": "partial", "summary": "half", "output_files": ["x.md"]}}"""));
        var aggregation = ResponseParser.Parse(Wrapped("""{"phase": "aggregation", "data": {"summary": "all", "output": "text", "conflicts": ["a vs b"]}}"""));

        Assert.Equal("partial", completion.Completion!.Status);
        Assert.Equal(["a vs b"], aggregation.Aggregation!.Conflicts);
    }
}

public class ProtocolGrammarSpec
{
    [Fact]
    public void Every_rule_the_grammar_uses_is_defined_once()
    {
        var grammar = ProtocolGrammar.Build();
        var lines = grammar.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var defined = lines.Select(l => l.Split(" ::= ")[0]).ToList();
        Assert.Equal(defined.Count, defined.Distinct().Count());

        foreach (var line in lines)
        {
            var rhs = line.Split(" ::= ", 2)[1];
            var withoutLiterals = Regex.Replace(rhs, "\"(?:\\\\.|[^\"\\\\])*\"|\\[(?:\\\\.|[^\\]\\\\])*\\]|\\{\\d+(,\\d*)?\\}", " ");
            foreach (Match name in Regex.Matches(withoutLiterals, "[a-z][a-z0-9-]*"))
                Assert.Contains(name.Value, defined);
        }
    }

    [Fact]
    public void Grammar_for_one_phase_names_only_that_phase()
    {
        var grammar = ProtocolGrammar.Build(ResponsePhase.TaskList);
        Assert.Contains("body ::= task-list\n", grammar.Replace("\r", ""));
        Assert.Contains("\\\"task_list\\\"", grammar);
        Assert.DoesNotContain("analysis", grammar);
        Assert.StartsWith($"root ::= \"{ResponseParser.StartMarker}\"", grammar);
    }

    [Fact]
    public void Grammar_is_bounded()
    {
        var grammar = ProtocolGrammar.Build(options: new ProtocolGrammar.Options(MaxStringLength: 7));
        Assert.Contains("char{0,7}", grammar);
        Assert.DoesNotContain("*", grammar);
        Assert.DoesNotContain("+", grammar);
    }
}
