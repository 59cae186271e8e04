using Orchestrator.Core.Ids;

namespace Orchestrator.Core.Councils;

/// <summary>How a council picks its winner: by the peers' critique scores (<see cref="Rubric"/>), or by a selector
/// agent that reads every final answer (<see cref="Agent"/>).</summary>
public enum CouncilSelectorKind
{
    /// <summary>The highest mean score the peers gave in the last critique; ties go to the earlier member.</summary>
    Rubric,
    /// <summary>A selector agent names the winner; when it fails or names no member, the rubric decides.</summary>
    Agent,
}

/// <summary>When a council stops before its last round.</summary>
public enum CouncilConsensus
{
    /// <summary>Every round runs.</summary>
    None,
    /// <summary>Every critique of a round approves: the answers stand, no revision, selection follows.</summary>
    AllApprove,
    /// <summary>Every member's answer (after generation or revision) is the same text, spaces and case aside.</summary>
    SameAnswer,
}

/// <summary>A council as a template node or the council directory holds it: K <see cref="Members"/> deliberate for
/// <see cref="Rounds"/> rounds (generate, then each round critique and revise), stop early on
/// <see cref="Consensus"/>, and a selector picks the winner. A template node may instead name a council by
/// <see cref="Role"/> (with no members): the directory's council of that role serves it at run time.
/// <see cref="Rubric"/> is what critics judge by; <see cref="MemberTimeout"/> bounds each request (the node's timeout
/// when null).</summary>
public sealed record CouncilSpec(
    IReadOnlyList<CouncilMember> Members,
    int Rounds = 1,
    CouncilSelectorKind Selector = CouncilSelectorKind.Rubric,
    string? SelectorRole = null,
    CouncilConsensus Consensus = CouncilConsensus.AllApprove,
    string? Rubric = null,
    string? Role = null,
    TimeSpan? MemberTimeout = null)
{
    /// <summary>The most rounds a council may run.</summary>
    public const int MaxRounds = 10;

    /// <summary>The most members a council may have.</summary>
    public const int MaxMembers = 32;

    /// <summary>The longest rubric, selector role, and member role or model.</summary>
    public const int MaxTextLength = 8192;

    /// <summary>A council named by role: its members come from the council directory when the node runs.</summary>
    public bool IsReference => Members.Count == 0 && Role is not null;

    /// <summary>Every agent this council runs: its members, then its selector when an agent selects. Whether a model
    /// serves each is asked when a session starts (<c>SessionServingCheck</c>) and when the council is registered: the
    /// cluster's models and the registered agents change while a template stays as written.</summary>
    public IEnumerable<CouncilMember> Agents() =>
        Selector == CouncilSelectorKind.Agent && !string.IsNullOrWhiteSpace(SelectorRole)
            ? Members.Append(new CouncilMember("selector", SelectorRole))
            : Members;

    /// <summary>Every problem of this council as written, each a sentence naming what is wrong (an empty list when
    /// none).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (IsReference)
        {
            if (string.IsNullOrWhiteSpace(Role)) problems.Add("the council's role is empty");
            return problems;
        }
        if (Members.Count < 2)
            problems.Add($"a council needs at least 2 members, not {Members.Count}");
        if (Members.Count > MaxMembers)
            problems.Add($"a council has at most {MaxMembers} members, not {Members.Count}");
        if (Rubric?.Length > MaxTextLength)
            problems.Add($"the rubric has {Rubric.Length} characters; at most {MaxTextLength}");
        if (SelectorRole?.Length > MaxTextLength)
            problems.Add($"the selector role has {SelectorRole.Length} characters; at most {MaxTextLength}");
        if (Members.FirstOrDefault(m => m.Role?.Length > MaxTextLength || m.Model?.Length > MaxTextLength) is { } longMember)
            problems.Add($"member '{longMember.Name}' has a role or model of more than {MaxTextLength} characters");
        foreach (var group in Members.GroupBy(m => m.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"member name '{group.Key}' is used {group.Count()} times");
        foreach (var m in Members)
        {
            if (string.IsNullOrWhiteSpace(m.Name)) problems.Add("a member has no name");
            else if (AgentName.Problem(m.Name, "member name") is { } badName) problems.Add(badName);
            else if (m.Name is CouncilDeliberation.SelectorName or CouncilDeliberation.CouncilName)
                problems.Add($"'{m.Name}' is a reserved name: name the member otherwise");
            if (string.IsNullOrWhiteSpace(m.Role)) problems.Add($"member '{m.Name}' has no role");
        }
        if (Rounds is < 1 or > MaxRounds) problems.Add($"rounds must be between 1 and {MaxRounds}, not {Rounds}");
        if (Selector == CouncilSelectorKind.Agent && string.IsNullOrWhiteSpace(SelectorRole))
            problems.Add("selector = agent needs a selector-role");
        if (MemberTimeout is { } t && t <= TimeSpan.Zero) problems.Add($"member-timeout must be positive, not {t}");
        return problems;
    }
}
