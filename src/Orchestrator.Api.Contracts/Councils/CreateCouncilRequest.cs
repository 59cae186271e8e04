namespace Orchestrator.Api.Contracts.Councils;

/// <summary>The body of <c>POST /api/councils</c>; <see cref="Selector"/> and <see cref="Consensus"/> are names
/// (<c>rubric</c>, <c>all_approve</c> or <c>all-approve</c>...), checked by the node.</summary>
public sealed record CreateCouncilRequest(
    string? Role,
    IReadOnlyList<CouncilMemberRequest>? Members,
    int? Rounds,
    string? Selector,
    string? SelectorRole,
    string? Consensus,
    string? Rubric,
    double? MemberTimeoutSeconds);
