namespace Orchestrator.Api.Contracts.Councils;

/// <summary>A council as the API shows it: the role it serves, its members and how it deliberates.</summary>
public sealed record CouncilDto(
    string Role,
    IReadOnlyList<CouncilMemberDto> Members,
    int Rounds,
    CouncilSelectorDto Selector,
    string? SelectorRole,
    CouncilConsensusDto Consensus,
    string? Rubric,
    double? MemberTimeoutSeconds,
    DateTimeOffset CreatedAt);
