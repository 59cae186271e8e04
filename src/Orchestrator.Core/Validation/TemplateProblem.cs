namespace Orchestrator.Core.Validation;

/// <summary>One thing wrong with a template or a plan: a stable code (<c>cycle</c>, <c>unknown-dependency</c>,
/// <c>missing-variable</c>...), a message that says what and where, and the source location when known.</summary>
public sealed record TemplateProblem(string Code, string Message, SourceLocation? Location = null)
{
    /// <inheritdoc />
    public override string ToString() => Location is null ? $"{Code}: {Message}" : $"{Location}: {Code}: {Message}";
}
