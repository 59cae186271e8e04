namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>The question a waiting human node puts to a person: its text, the answer expected (<c>approve</c>: approve
/// or reject with a reason; <c>value</c>: JSON meeting <see cref="Schema"/>, or reject), and when its default action
/// applies (null: never).</summary>
public sealed record HumanQuestionDto(string Text, string Answer, string? Schema, DateTimeOffset? Deadline);
