namespace Orchestrator.Api.Contracts.Councils;

/// <summary>How a council picks its winner.</summary>
public enum CouncilSelectorDto
{
    /// <summary>The highest mean score the peers gave in the last critique.</summary>
    Rubric,
    /// <summary>A selector agent names the winner.</summary>
    Agent,
}
