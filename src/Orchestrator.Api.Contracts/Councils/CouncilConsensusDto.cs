namespace Orchestrator.Api.Contracts.Councils;

/// <summary>When a council stops before its last round.</summary>
public enum CouncilConsensusDto
{
    /// <summary>Every round runs.</summary>
    None,
    /// <summary>Every critique of a round approves.</summary>
    AllApprove,
    /// <summary>Every member's answer is the same text.</summary>
    SameAnswer,
}
