using System.Text.Json;

namespace Orchestrator.Api.Contracts.Sessions;

/// <summary>The body of <c>POST /api/sessions/{id}/tasks/{task}/answer</c>: exactly one of <c>{"approve": true}</c>,
/// <c>{"reject": "reason"}</c> or <c>{"value": ...}</c> (any JSON meeting the question's schema).</summary>
public sealed record AnswerRequest(bool? Approve = null, string? Reject = null, JsonElement? Value = null);
