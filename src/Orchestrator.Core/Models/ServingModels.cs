namespace Orchestrator.Core.Models;

/// <summary>What a node knows of the models its sessions can run on: the state of each model it configures
/// (<see cref="Local"/>), the models reachable members of the cluster serve (<see cref="Elsewhere"/>), the models of the
/// registered agents of each role (<see cref="AgentModels"/>) and the default model of a role with no agent
/// (<see cref="ModelByRole"/>, the role's own name when absent). It answers whether a role can be served, for a
/// session's start, and whether any configured model serves, for the node's readiness.</summary>
public sealed record ServingModels(
    IReadOnlyDictionary<string, ModelServing> Local,
    IReadOnlySet<string> Elsewhere,
    IReadOnlyDictionary<string, IReadOnlyList<string>> AgentModels,
    IReadOnlyDictionary<string, string>? ModelByRole)
{
    /// <summary>The view of a node that configures <paramref name="models"/>, each loading, before it has heard of
    /// agents or other members.</summary>
    public static ServingModels Starting(IEnumerable<string> models, IReadOnlyDictionary<string, string>? modelByRole) =>
        new(models.ToDictionary(m => m, _ => ModelServing.Loading, StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal),
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal), modelByRole);

    /// <summary>Whether sessions are held to these models: this node configures some, or a reachable member serves
    /// some. Where no node of the cluster has a model at all (a node kept for its API, tests), nothing could run and
    /// nothing is refused.</summary>
    public bool HoldsSessions => Local.Count > 0 || Elsewhere.Count > 0;

    /// <summary>Whether <paramref name="model"/> serves or is coming: served by a reachable member, or configured here
    /// and not failed.</summary>
    public bool IsComing(string model) => Elsewhere.Contains(model) || (Local.TryGetValue(model, out var s) && s.IsComing);

    /// <summary>Why <paramref name="model"/> cannot take requests, as a clause after its name.</summary>
    public string WhyNot(string model) => Local.TryGetValue(model, out var s)
        ? s.Describe()
        : $"is served by no reachable node (configured here: {Names(Local.Keys)}; served elsewhere: {Names(Elsewhere)})";

    /// <summary>Why no model can serve <paramref name="role"/> (neither a registered agent of the role whose model
    /// serves or is coming, nor its default model), or null when one can.</summary>
    public string? RoleProblem(string role)
    {
        var candidates = AgentModels.GetValueOrDefault(role, []).Append(RoleModels.ModelOf(ModelByRole, role))
            .Distinct(StringComparer.Ordinal).ToList();
        return candidates.Any(IsComing)
            ? null
            : $"no model serves role '{role}': " + string.Join("; ", candidates.Select(m => $"model '{m}' {WhyNot(m)}"));
    }

    /// <summary>Every reason the agents <paramref name="needs"/> (each a role, or the model it names) cannot run here, one
    /// per role or model, in their order.</summary>
    public IReadOnlyList<string> Problems(IEnumerable<(string Role, string? Model)> needs) =>
        needs.Distinct()
            .Select(n => n.Model is { } model ? ModelProblem(model) : RoleProblem(n.Role))
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Why <paramref name="model"/>, named by a template, cannot serve, or null when it can.</summary>
    public string? ModelProblem(string model) => IsComing(model) ? null : $"model '{model}' {WhyNot(model)}";

    /// <summary>The models configured here that do not serve now, each with its state and reason.</summary>
    public IReadOnlyList<string> NotServing => Local.Where(kv => !kv.Value.IsServing).OrderBy(kv => kv.Key, StringComparer.Ordinal)
        .Select(kv => $"model '{kv.Key}' {kv.Value.Describe()}").ToList();

    /// <summary>Why the node is not ready for its models: it configures some and none of them serves; null otherwise.</summary>
    public string? ReadinessProblem => Local.Count > 0 && Local.Values.All(s => !s.IsServing)
        ? $"no configured model serves: {string.Join("; ", NotServing)}"
        : null;

    private static string Names(IEnumerable<string> names) =>
        names.Any() ? string.Join(", ", names.Order(StringComparer.Ordinal)) : "none";
}
