namespace Orchestrator.Core.Context;

/// <summary>How a session's conversation context is kept: a hard limit on the characters it may put in a prompt
/// (<see cref="MaxChars"/>), the size past which older turns are summarized (<see cref="SummarizeAboveChars"/>) by
/// an agent of <see cref="SummarizerRole"/> (none: older turns are dropped instead), the recent turns always kept
/// verbatim, and the language every agent should reply in.</summary>
public sealed record ContextSettings(
    int MaxChars = 12_000,
    int SummarizeAboveChars = 8_000,
    string? SummarizerRole = null,
    string? Language = null,
    int KeepRecentTurns = 2)
{
    /// <summary>The defaults: 12,000 characters at most, summarized past 8,000, no summarizer, no language line.</summary>
    public static ContextSettings Default { get; } = new();

    /// <summary>Every value out of range, as sentences.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (MaxChars < 200) problems.Add($"max-context-chars must be at least 200, not {MaxChars}");
        if (SummarizeAboveChars < 1) problems.Add($"summarize-above must be positive, not {SummarizeAboveChars}");
        if (KeepRecentTurns < 0) problems.Add($"keep-recent-turns must not be negative, not {KeepRecentTurns}");
        return problems;
    }
}
