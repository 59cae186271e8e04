namespace Orchestrator.Core.Workflows;

/// <summary>Fills in the run-time placeholders of a resolved prompt: outputs of dependencies, the task and session
/// ids, the iteration, the critique of the previous iteration, lessons, and <c>{INPUTS}</c>: every dependency's output
/// under its id, in the order given (for a node waiting on a planner's many instances); and the session's
/// <c>inputs</c>, which the plan names rather than copies (<see cref="ResolvedWorkflow"/>), before any of those. One pass:
/// text filled in is never read for placeholders again. Unknown ones stay as written.</summary>
internal static class PromptRenderer
{
    internal static string Render(
        string prompt,
        string sessionId,
        string taskId,
        int iteration,
        IReadOnlyDictionary<string, string> dependencyOutputs,
        string? critique = null,
        string? lessons = null,
        IReadOnlyDictionary<string, string>? inputs = null) =>
        Placeholders.Substitute(prompt, name => inputs is not null && inputs.TryGetValue(name, out var input) ? input : name switch
        {
            Placeholders.TaskId => taskId,
            Placeholders.SessionId => sessionId,
            Placeholders.Iteration => iteration.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Placeholders.Critique => critique ?? "",
            Placeholders.Lessons => lessons ?? "",
            Placeholders.Inputs => string.Join("\n\n", dependencyOutputs.Select(kv => $"[{kv.Key}]\n{kv.Value}")),
            _ when name.StartsWith(Placeholders.OutputPrefix, StringComparison.Ordinal) =>
                dependencyOutputs.TryGetValue(name[Placeholders.OutputPrefix.Length..], out var output) ? output : null,
            _ => null,
        });
}
