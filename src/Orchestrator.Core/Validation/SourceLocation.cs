namespace Orchestrator.Core.Validation;

/// <summary>Where a template element was written: the file and the 1-based line the loader read it from.</summary>
public sealed record SourceLocation(string File, int Line)
{
    /// <summary>A location for elements built in code rather than read from a file.</summary>
    public static SourceLocation Unknown { get; } = new("<code>", 0);

    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}
