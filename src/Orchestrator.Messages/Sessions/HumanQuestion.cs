namespace Orchestrator.Messages.Sessions;

/// <summary>What a person is asked by a human node: the question (its prompt, rendered), the answer expected, the JSON
/// schema a value must meet (null for an approval), and when the node's default action applies without an answer
/// (null: it waits as long as the session lives).</summary>
public sealed record HumanQuestion(string Text, HumanAnswerKind Answer, string? Schema, DateTimeOffset? Deadline);
