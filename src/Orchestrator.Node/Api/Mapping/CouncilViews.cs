using Orchestrator.Api.Contracts.Councils;
using Orchestrator.Core.Councils;

namespace Orchestrator.Node.Api.Mapping;

/// <summary>The council directory's councils as the API's contracts.</summary>
internal static class CouncilViews
{
    public static CouncilMemberDto ToDto(this CouncilMember m) => new(m.Name, m.Role, m.Model);

    public static CouncilDto ToDto(this CouncilDefinition d) => new(
        d.Role, d.Council.Members.Select(ToDto).ToList(), d.Council.Rounds,
        ApiEnums.Map<CouncilSelectorKind, CouncilSelectorDto>(d.Council.Selector), d.Council.SelectorRole,
        ApiEnums.Map<CouncilConsensus, CouncilConsensusDto>(d.Council.Consensus), d.Council.Rubric,
        d.Council.MemberTimeout?.TotalSeconds, d.CreatedAt);
}
