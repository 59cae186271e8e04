namespace Orchestrator.Core.Decisions;

/// <summary>A task a session would dispatch now if the node grants it: its attempt to be, the role and capabilities that
/// pick its agent, its kind (for learned performance) and its priority (higher first, across sessions).</summary>
public sealed record DispatchCandidate(
    string TaskId,
    int Attempt,
    string Role,
    IReadOnlyList<string> Capabilities,
    string Kind,
    int Priority);
