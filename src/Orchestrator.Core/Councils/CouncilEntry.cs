namespace Orchestrator.Core.Councils;

/// <summary>The steps of a council's deliberation, in order: generate once, then per round critique and revise,
/// then select.</summary>
public enum CouncilStep
{
    /// <summary>Each member answers the task.</summary>
    Generate,
    /// <summary>Each member critiques each other member's answer with a score and an approval.</summary>
    Critique,
    /// <summary>Each member revises its answer with the critiques it received.</summary>
    Revise,
    /// <summary>The selector (an agent, or the rubric) picks the winner.</summary>
    Select,
}

/// <summary>What a transcript entry records.</summary>
public enum CouncilEntryKind
{
    /// <summary>A member's answer (generated or revised): <see cref="CouncilEntry.Text"/>.</summary>
    Answer,
    /// <summary>A member's critique of <see cref="CouncilEntry.Target"/>'s answer, with a score and an approval.</summary>
    Critique,
    /// <summary>A member (or the selector) failed or timed out: it is dropped, the reason in the text.</summary>
    MemberFailed,
    /// <summary>The council agreed before its last round.</summary>
    Consensus,
    /// <summary>The winner, by the selector agent or the rubric, and why.</summary>
    Selected,
    /// <summary>The council could not finish (fewer than two answers), the reason in the text.</summary>
    Failed,
}

/// <summary>One entry of a council's transcript, persisted with the session (in <c>CouncilEntryRecorded</c>) and
/// streamed as it is written. <see cref="CouncilDeliberation"/> is a fold over these entries, so a restarted council
/// continues where its transcript ends.</summary>
public sealed record CouncilEntry(
    CouncilEntryKind Kind,
    CouncilStep Step,
    int Round,
    string Member,
    string? Target = null,
    string? Text = null,
    double? Score = null,
    bool? Approve = null)
{
    /// <summary>The request this entry answers: round, step, member and (for a critique) target.</summary>
    public string Key => CouncilRequest.KeyOf(Step, Round, Member, Target);
}

/// <summary>A request the council makes of one agent: <see cref="Agent"/> (a member, or the selector) answers
/// <see cref="Prompt"/>, its reply held to <see cref="JsonSchema"/> when given (the task's own constraint otherwise).</summary>
public sealed record CouncilRequest(
    CouncilStep Step,
    int Round,
    CouncilMember Agent,
    string? Target,
    string Prompt,
    string? JsonSchema)
{
    /// <summary>A stable key of this request in its council: <c>round/step/member[/target]</c>.</summary>
    public string Key => KeyOf(Step, Round, Agent.Name, Target);

    internal static string KeyOf(CouncilStep step, int round, string member, string? target) =>
        target is null ? $"{round}/{step.ToString().ToLowerInvariant()}/{member}" : $"{round}/{step.ToString().ToLowerInvariant()}/{member}/{target}";
}
