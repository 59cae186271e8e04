namespace Orchestrator.Core.Sessions;

/// <summary>How a person's question was answered.</summary>
public enum HumanDecision
{
    /// <summary>Approved: the task succeeds with <c>approved</c> as its output.</summary>
    Approved,
    /// <summary>Rejected with a reason: the task fails with it.</summary>
    Rejected,
    /// <summary>A value meeting the schema: the task succeeds with it as its output.</summary>
    Value,
}
