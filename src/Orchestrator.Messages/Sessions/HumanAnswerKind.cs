namespace Orchestrator.Messages.Sessions;

/// <summary>What a person answers a human node with: <see cref="Approve"/> (approve, or reject with a reason) or
/// <see cref="Value"/> (a JSON value meeting the node's schema, or reject with a reason).</summary>
public enum HumanAnswerKind
{
    /// <summary>Approve, or reject with a reason.</summary>
    Approve,
    /// <summary>A JSON value meeting the node's schema, or reject with a reason.</summary>
    Value,
}
