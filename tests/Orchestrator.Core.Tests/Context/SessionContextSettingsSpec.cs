using Orchestrator.Core.Context;
using Orchestrator.Core.Validation;
using Orchestrator.Core.Workflows;

namespace Orchestrator.Core.Tests.Context;

public class SessionContextSettingsSpec
{
    private static WorkflowTemplate Template(string name, string? extends, ContextSettingsSpec? context) =>
        new(name, extends is null ? [new WorkflowNode("a", "analyst", "do it", [])] : [], new SessionSettingsSpec(Context: context), [],
            extends, Source: new SourceLocation($"{name}.conf", 1));

    [Fact]
    public void A_template_without_a_context_block_has_no_context_settings()
    {
        var result = TemplateResolver.Resolve("t", new Dictionary<string, WorkflowTemplate> { ["t"] = Template("t", null, null) }, null);

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Null(result.Workflow!.Settings.Context);
    }

    [Fact]
    public void A_child_overrides_only_the_context_keys_it_names()
    {
        var parent = Template("base", null, new ContextSettingsSpec(ShareHistory: true, MaxChars: 5000, SummarizerRole: "editor", Language: "French"));
        var child = Template("child", "base", new ContextSettingsSpec(Language: "German", KeepRecentTurns: 3));

        var result = TemplateResolver.Resolve("child", new Dictionary<string, WorkflowTemplate> { ["base"] = parent, ["child"] = child }, null);

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal(new SessionContextSettings(true, new ContextSettings(5000, ContextSettings.Default.SummarizeAboveChars, "editor", "German", 3)),
            result.Workflow!.Settings.Context);
    }

    [Fact]
    public void History_is_not_shared_unless_asked()
    {
        Assert.False(new ContextSettingsSpec(Language: "French").ToSettings().ShareHistory);
    }

    [Fact]
    public void Every_out_of_range_context_value_is_reported_at_its_template()
    {
        var bad = Template("t", null, new ContextSettingsSpec(MaxChars: 10, SummarizeAbove: 0, KeepRecentTurns: -1, SummarizerRole: " ", Language: "",
            Source: new SourceLocation("t.conf", 7)));

        var problems = TemplateResolver.Resolve("t", new Dictionary<string, WorkflowTemplate> { ["t"] = bad }, null).Problems;

        Assert.Equal(5, problems.Count(p => p.Code == "invalid-setting"));
        Assert.All(problems, p => Assert.Equal(new SourceLocation("t.conf", 7), p.Location));
        Assert.Contains(problems, p => p.Message.Contains("max-chars must be at least 200, not 10"));
        Assert.Contains(problems, p => p.Message.Contains("summarize-above"));
        Assert.Contains(problems, p => p.Message.Contains("keep-recent-turns"));
        Assert.Contains(problems, p => p.Message.Contains("summarizer-role"));
        Assert.Contains(problems, p => p.Message.Contains("language"));
    }
}
