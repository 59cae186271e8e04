using Orchestrator.Core.Workflows;

namespace Orchestrator.Core.Sessions;

/// <summary>What a person is asked by a human node: the question (its prompt, rendered), the answer expected, the JSON
/// schema a value must meet (null for an approval), and when the node's default action applies without an answer
/// (null: it waits as long as the session lives).</summary>
public sealed record HumanQuestion(string Text, HumanAnswerKind Answer, string? Schema, DateTimeOffset? Deadline);

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
