using System.Collections.Immutable;

namespace Orchestrator.Core.Context;

/// <summary>One turn of a conversation: who spoke and what they said.</summary>
public sealed record ContextTurn(string Speaker, string Text);

/// <summary>The conversation context of a session (or of one group chat in it): the turns so far, a summary of the
/// turns folded away, and the rules of <see cref="ContextSettings"/>. Pure: <see cref="Add"/> and
/// <see cref="Summarized"/> return a new context; <see cref="NeedsSummary"/> says when the summarizer agent should
/// run; <see cref="Compose"/> builds a prompt that never exceeds the hard character limit and always carries the
/// output language line.</summary>
public sealed record SessionContext(ContextSettings Settings, string? Summary, ImmutableList<ContextTurn> History)
{
    private const string Elision = "[…]";

    /// <summary>An empty context under <paramref name="settings"/>.</summary>
    public static SessionContext Start(ContextSettings? settings = null) => new(settings ?? ContextSettings.Default, null, []);

    /// <summary>The characters of the history and summary as a prompt would hold them.</summary>
    public int Chars => (Summary?.Length ?? 0) + History.Sum(t => t.Speaker.Length + t.Text.Length + 4);

    /// <summary>The context with <paramref name="turn"/> added last.</summary>
    public SessionContext Add(ContextTurn turn) => this with { History = History.Add(turn) };

    /// <summary>The turns a summary should fold away now (all but the most recent ones), or none when the context
    /// is within <see cref="ContextSettings.SummarizeAboveChars"/> or no summarizer is configured.</summary>
    public IReadOnlyList<ContextTurn> NeedsSummary =>
        Settings.SummarizerRole is null || Chars <= Settings.SummarizeAboveChars || History.Count <= Settings.KeepRecentTurns
            ? []
            : History.Take(History.Count - Settings.KeepRecentTurns).ToList();

    /// <summary>The prompt that asks the summarizer to fold <see cref="NeedsSummary"/> (and the earlier summary) into one
    /// summary, itself held to the character limit.</summary>
    public string SummaryPrompt()
    {
        var turns = NeedsSummary;
        var body = string.Join("\n", turns.Select(t => $"[{t.Speaker}] {t.Text}"));
        return Compose(
            "Summarize the conversation below in a few sentences: keep decisions, open questions, names and facts; drop chatter.",
            (Summary is null ? "" : $"Summary so far: {Summary}\n") + body);
    }

    /// <summary>The context after a summary of its first <paramref name="turnsFolded"/> turns.</summary>
    public SessionContext Summarized(string summary, int turnsFolded) =>
        this with { Summary = summary.Trim(), History = History.RemoveRange(0, Math.Clamp(turnsFolded, 0, History.Count)) };

    /// <summary>The conversation as a prompt holds it: the summary, then the turns, oldest first. Past
    /// <paramref name="budget"/> characters the oldest turns go first (an elision mark in their place), then the
    /// summary is cut; the result never exceeds the budget.</summary>
    public string Render(int budget)
    {
        if (budget <= 0) return "";
        var lines = new List<string>();
        var used = 0;
        // Newest first, so that what is kept is the most recent.
        for (var i = History.Count - 1; i >= 0; i--)
        {
            var line = $"[{History[i].Speaker}] {History[i].Text}";
            if (used + line.Length + 1 > budget)
            {
                if (lines.Count == 0) lines.Add(Clip(line, budget));
                else if (used + Elision.Length + 1 <= budget) lines.Add(Elision);
                used = budget;
                break;
            }
            lines.Add(line);
            used += line.Length + 1;
        }
        lines.Reverse();
        var turns = string.Join("\n", lines);
        if (Summary is null) return turns;
        var room = budget - turns.Length - 1 - "Summary of earlier turns: ".Length;
        return room <= Elision.Length ? turns : $"Summary of earlier turns: {Clip(Summary, room)}\n{turns}";
    }

    /// <summary>A prompt of <paramref name="instruction"/>, the output language line, and <paramref name="material"/>
    /// cut to fit: never more than <see cref="ContextSettings.MaxChars"/> characters; the instruction and the language
    /// line are kept whole while they fit, the material gives way first.</summary>
    public string Compose(string instruction, string material)
    {
        var head = LanguageLine is { } language ? $"{instruction}\n{language}" : instruction;
        var max = Settings.MaxChars;
        if (head.Length >= max) return Clip(head, max);
        var room = max - head.Length - 1;
        return material.Length == 0 ? head : $"{head}\n{Clip(material, room)}";
    }

    /// <summary>The line asking for the preferred output language, or null when none is set.</summary>
    public string? LanguageLine => string.IsNullOrWhiteSpace(Settings.Language) ? null : $"Write your reply in {Settings.Language}.";

    /// <summary><paramref name="text"/> cut to at most <paramref name="max"/> characters, keeping its start and its end
    /// around an elision mark.</summary>
    public static string Clip(string text, int max)
    {
        if (text.Length <= max) return text;
        if (max <= Elision.Length) return text[..Math.Max(0, max)];
        var keep = max - Elision.Length;
        var head = keep / 2;
        return string.Concat(text.AsSpan(0, head), Elision, text.AsSpan(text.Length - (keep - head)));
    }
}
