namespace Orchestrator.Core.Models;

/// <summary>Which model serves an agent role: the one <c>models-by-role</c> maps it to, or the model of the role's own
/// name when it is not mapped.</summary>
public static class RoleModels
{
    /// <summary>The model that serves <paramref name="role"/> under <paramref name="modelByRole"/>.</summary>
    public static string ModelOf(IReadOnlyDictionary<string, string>? modelByRole, string role) =>
        modelByRole?.GetValueOrDefault(role) ?? role;
}
