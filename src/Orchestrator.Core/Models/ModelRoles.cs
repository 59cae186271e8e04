namespace Orchestrator.Core.Models;

/// <summary>How a node tells the cluster which models it serves: one cluster role per served model,
/// <c>model:&lt;name&gt;</c>, added to the node's own roles at start. Roles travel with membership, so every node knows
/// what a member serves as soon as it sees it and forgets it the moment the member leaves.</summary>
public static class ModelRoles
{
    /// <summary>What every model role starts with; a role of a node's own configuration may not.</summary>
    public const string Prefix = "model:";

    /// <summary>The cluster role of a node that serves <paramref name="model"/>.</summary>
    public static string RoleOf(string model) => Prefix + model;

    /// <summary>Whether <paramref name="role"/> is a model role.</summary>
    public static bool IsModelRole(string role) => role.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The models a member with <paramref name="roles"/> serves.</summary>
    public static IReadOnlySet<string> ModelsOf(IEnumerable<string> roles) =>
        roles.Where(r => IsModelRole(r) && r.Length > Prefix.Length).Select(r => r[Prefix.Length..]).ToHashSet(StringComparer.Ordinal);
}
