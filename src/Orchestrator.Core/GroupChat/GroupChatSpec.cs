using Orchestrator.Core.Context;
using Orchestrator.Core.Councils;

namespace Orchestrator.Core.GroupChat;

/// <summary>How the next speaker of a group chat is chosen.</summary>
public enum SpeakerSelection
{
    /// <summary>Participants speak in turn, in the order written.</summary>
    RoundRobin,
    /// <summary>A selector agent names the next speaker; when it fails, the turn goes round-robin.</summary>
    Selector,
}

/// <summary>A group chat node: <see cref="Participants"/> talk about the task, one speaker per turn, until
/// <see cref="MaxTurns"/>, a turn containing <see cref="StopPhrase"/>, or a judge agent of <see cref="JudgeRole"/>
/// saying the conversation is done. <see cref="Context"/> bounds what each prompt quotes of the conversation (older
/// turns summarized by its summarizer, a hard character limit, the reply language).</summary>
public sealed record GroupChatSpec(
    IReadOnlyList<CouncilMember> Participants,
    SpeakerSelection Speaker = SpeakerSelection.RoundRobin,
    string? SelectorRole = null,
    int MaxTurns = 6,
    string? StopPhrase = null,
    string? JudgeRole = null,
    ContextSettings? Context = null,
    TimeSpan? MemberTimeout = null)
{
    /// <summary>The most turns a chat may take.</summary>
    public const int TurnLimit = 100;

    /// <summary>Every agent this chat runs: its participants, then its selector (when one picks the speaker), judge
    /// and summarizer. Whether a model serves each is asked when a session starts (<c>SessionServingCheck</c>).</summary>
    public IEnumerable<CouncilMember> Agents()
    {
        foreach (var participant in Participants) yield return participant;
        if (Speaker == SpeakerSelection.Selector && !string.IsNullOrWhiteSpace(SelectorRole)) yield return new("selector", SelectorRole);
        if (!string.IsNullOrWhiteSpace(JudgeRole)) yield return new("judge", JudgeRole);
        if (Context?.SummarizerRole is { } summarizer && !string.IsNullOrWhiteSpace(summarizer)) yield return new("summarizer", summarizer);
    }

    /// <summary>Every problem of this chat as written (an empty list when none).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Participants.Count < 2) problems.Add($"a group chat needs at least 2 participants, not {Participants.Count}");
        foreach (var group in Participants.GroupBy(m => m.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"participant name '{group.Key}' is used {group.Count()} times");
        foreach (var p in Participants)
        {
            if (string.IsNullOrWhiteSpace(p.Name)) problems.Add("a participant has no name");
            if (string.IsNullOrWhiteSpace(p.Role)) problems.Add($"participant '{p.Name}' has no role");
        }
        if (MaxTurns is < 1 or > TurnLimit) problems.Add($"max-turns must be between 1 and {TurnLimit}, not {MaxTurns}");
        if (Speaker == SpeakerSelection.Selector && string.IsNullOrWhiteSpace(SelectorRole))
            problems.Add("speaker = selector needs a selector-role");
        if (StopPhrase is { Length: 0 }) problems.Add("stop-phrase must not be empty");
        if (Context is not null) problems.AddRange(Context.Problems());
        if (MemberTimeout is { } t && t <= TimeSpan.Zero) problems.Add($"member-timeout must be positive, not {t}");
        return problems;
    }
}
