using Orchestrator.Core.Validation;
using Orchestrator.Messages.Sessions;

namespace Orchestrator.Core.Workflows;

/// <summary>A node that waits for a person instead of an agent (<c>human { ask = ..., answer = approve | value }</c>):
/// its question is the node's prompt (placeholders resolved like any prompt's); <see cref="Schema"/> is the JSON schema
/// (of <see cref="JsonSchemaSubset"/>) a value must meet; after <see cref="Timeout"/> without an answer,
/// <see cref="OnTimeout"/> applies: <c>approve</c>, <c>reject</c> (the default), or a default value (JSON text).</summary>
public sealed record HumanInputSpec(HumanAnswerKind Answer, string? Schema = null, TimeSpan? Timeout = null, string? OnTimeout = null)
{
    /// <summary>The role a human node shows in views; no agent or model ever runs it.</summary>
    public const string Role = "human";

    /// <summary>The on-timeout action that approves.</summary>
    public const string ApproveAction = "approve";

    /// <summary>The on-timeout action that rejects, the default.</summary>
    public const string RejectAction = "reject";

    /// <summary>What is wrong with this spec: a schema missing for a value, given for approve, or outside the subset; a
    /// timeout not positive; an on-timeout action that does not fit the answer or a default value failing the schema.</summary>
    public IEnumerable<string> Problems()
    {
        if (Answer == HumanAnswerKind.Value && Schema is null) yield return "answer = value needs a schema";
        if (Answer == HumanAnswerKind.Approve && Schema is not null) yield return "a schema is for answer = value, not approve";
        var schemaProblems = Schema is null ? [] : JsonSchemaSubset.Problems(Schema);
        foreach (var problem in schemaProblems) yield return $"schema: {problem}";
        if (Timeout is { } t && t <= TimeSpan.Zero) yield return $"timeout must be positive, not {t}";
        if (OnTimeout is null) yield break;
        if (Timeout is null) yield return "on-timeout needs a timeout";
        if (OnTimeout is RejectAction) yield break;
        if (Answer == HumanAnswerKind.Approve && OnTimeout is not ApproveAction)
            yield return $"on-timeout of an approval must be approve or reject, not '{InputEcho.Of(OnTimeout)}'";
        else if (Answer == HumanAnswerKind.Value && Schema is not null && schemaProblems.Count == 0
                 && JsonSchemaSubset.Check(Schema, OnTimeout) is { } why)
            yield return $"on-timeout's default value does not meet the schema: {why}";
    }
}
