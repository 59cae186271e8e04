namespace Orchestrator.Api.Contracts.Templates;

/// <summary>A node of a resolved template, with its dependencies (the timeout in seconds).</summary>
public sealed record TemplateNodeDto(
    string Id,
    string Role,
    string Prompt,
    IReadOnlyList<string> DependsOn,
    int Priority,
    double TimeoutSeconds,
    int Retries,
    string? Phase,
    string? OutputSchema);
