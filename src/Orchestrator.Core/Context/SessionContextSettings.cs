using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Context;

/// <summary>How a session's plain tasks share context: whether each prompt carries the conversation so far
/// (<see cref="ShareHistory"/>), and the limits, summarizer and output language of <see cref="Limits"/>. A session
/// whose templates give no <c>settings.context</c> has none, and its prompts are left as they are.</summary>
public sealed record SessionContextSettings(bool ShareHistory, ContextSettings Limits);

/// <summary>A template's <c>settings { context { ... } }</c>: each value optional, so a child overrides only what it
/// names (<c>share-history</c>, <c>max-chars</c>, <c>summarize-above</c>, <c>summarizer-role</c>, <c>language</c>,
/// <c>keep-recent-turns</c>).</summary>
public sealed record ContextSettingsSpec(
    bool? ShareHistory = null,
    int? MaxChars = null,
    int? SummarizeAbove = null,
    string? SummarizerRole = null,
    string? Language = null,
    int? KeepRecentTurns = null,
    SourceLocation? Source = null)
{
    /// <summary>This spec with every value <paramref name="child"/> gives taking precedence.</summary>
    public ContextSettingsSpec OverriddenBy(ContextSettingsSpec child) => new(
        child.ShareHistory ?? ShareHistory,
        child.MaxChars ?? MaxChars,
        child.SummarizeAbove ?? SummarizeAbove,
        child.SummarizerRole ?? SummarizerRole,
        child.Language ?? Language,
        child.KeepRecentTurns ?? KeepRecentTurns,
        child.Source ?? Source);

    /// <summary>The full settings: history shared only when <c>share-history = on</c>, <see cref="ContextSettings"/>'s
    /// defaults for the rest.</summary>
    public SessionContextSettings ToSettings()
    {
        var d = ContextSettings.Default;
        return new SessionContextSettings(ShareHistory ?? false, new ContextSettings(
            MaxChars ?? d.MaxChars,
            SummarizeAbove ?? d.SummarizeAboveChars,
            string.IsNullOrWhiteSpace(SummarizerRole) ? d.SummarizerRole : SummarizerRole.Trim(),
            string.IsNullOrWhiteSpace(Language) ? d.Language : Language.Trim(),
            KeepRecentTurns ?? d.KeepRecentTurns));
    }

    /// <summary>Every value out of range, named by its key, with this spec's location.</summary>
    public IEnumerable<TemplateProblem> Validate(string template)
    {
        TemplateProblem Bad(string what) => new("invalid-setting", $"template '{template}': settings.context: {what}", Source);
        if (MaxChars is < 200) yield return Bad($"max-chars must be at least 200, not {MaxChars}");
        if (SummarizeAbove is < 1) yield return Bad($"summarize-above must be positive, not {SummarizeAbove}");
        if (KeepRecentTurns is < 0) yield return Bad($"keep-recent-turns must not be negative, not {KeepRecentTurns}");
        if (SummarizerRole is { } role && string.IsNullOrWhiteSpace(role)) yield return Bad("summarizer-role must name a role, not be empty");
        if (Language is { } language && string.IsNullOrWhiteSpace(language)) yield return Bad("language must name a language, not be empty");
    }
}
