namespace Orchestrator.Core.Councils;

/// <summary>The agents a node can run: the models it serves and which model serves each role (a role not mapped is
/// served by the model of its own name). A role is known when some configured model serves it.</summary>
public sealed record AgentCatalog(IReadOnlySet<string> Models, IReadOnlyDictionary<string, string> ModelByRole)
{
    /// <summary>The model that serves <paramref name="role"/>, or null when none is configured.</summary>
    public string? ModelOf(string role)
    {
        var model = Orchestrator.Core.Models.RoleModels.ModelOf(ModelByRole, role); // the one rule, as the decision engine applies it
        return ModelByRole.ContainsKey(role) || Models.Contains(model) ? model : null;
    }

    /// <summary>Why <paramref name="member"/> cannot run here (an unknown role, a model not configured), or null.</summary>
    public string? Problem(CouncilMember member)
    {
        if (member.Model is { } model)
            return Models.Contains(model) ? null
                : $"member '{member.Name}' asks for model '{model}', which is not configured (configured: {Known(Models)})";
        return ModelOf(member.Role) switch
        {
            null => $"member '{member.Name}' has role '{member.Role}', which no configured model serves (known roles: {Known(KnownRoles)})",
            var m when !Models.Contains(m) => $"role '{member.Role}' of member '{member.Name}' maps to model '{m}', which is not configured",
            _ => null,
        };
    }

    /// <summary>Roles that a configured model serves.</summary>
    public IEnumerable<string> KnownRoles =>
        ModelByRole.Where(kv => Models.Contains(kv.Value)).Select(kv => kv.Key).Union(Models).Order(StringComparer.Ordinal);

    private static string Known(IEnumerable<string> names) =>
        names.Any() ? string.Join(", ", names.Order(StringComparer.Ordinal)) : "none";
}
