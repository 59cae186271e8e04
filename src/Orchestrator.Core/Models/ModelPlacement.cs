namespace Orchestrator.Core.Models;

/// <summary>Which node serves a model, as pure logic (a node's model router owns one): the models of this node, the
/// members that serve models (by their model roles, <see cref="ModelRoles"/>) with whether they are reachable, and the
/// load each last shared (<see cref="ModelCapacity"/>). A request for a model of this node stays here; otherwise it goes
/// to the reachable member whose pool runs with the most free sequences (fewest queued), counting the requests sent
/// to it since its last report, so a burst between two reports spreads instead of piling on one node. Not thread-safe:
/// one actor owns it.</summary>
public sealed class ModelPlacement
{
    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);

    /// <summary>A placement for a node serving <paramref name="localModels"/>.</summary>
    public ModelPlacement(IReadOnlySet<string> localModels) => Local = localModels;

    /// <summary>The models this node serves.</summary>
    public IReadOnlySet<string> Local { get; }

    /// <summary>The models served by a reachable member other than this node.</summary>
    public IReadOnlySet<string> ServedElsewhere =>
        _members.Values.Where(m => m.Reachable).SelectMany(m => m.Models).ToHashSet(StringComparer.Ordinal);

    /// <summary>A member at <paramref name="node"/> is Up and serves <paramref name="models"/> (it stays reachable until
    /// told otherwise).</summary>
    public void MemberUp(string node, IReadOnlySet<string> models)
    {
        if (models.Count == 0)
        {
            _members.Remove(node);
            return;
        }
        _members[node] = new Member(models);
    }

    /// <summary>The member at <paramref name="node"/> is leaving or gone: no request goes there any more.</summary>
    public void MemberGone(string node) => _members.Remove(node);

    /// <summary>The member at <paramref name="node"/> became unreachable or reachable again.</summary>
    public void SetReachable(string node, bool reachable)
    {
        if (_members.TryGetValue(node, out var member)) member.Reachable = reachable;
    }

    /// <summary>A member's shared load; ignored for a node that is not a member serving models (a late report of a node
    /// that left).</summary>
    public void LoadReported(ModelCapacity.NodeModelLoad load)
    {
        if (!_members.TryGetValue(load.Node, out var member)) return;
        member.Loads.Clear();
        foreach (var model in load.Models ?? [])
            if (model is not null && member.Models.Contains(model.Model))
                member.Loads[model.Model] = model;
        member.SentSinceReport.Clear();
    }

    /// <summary>Where a request for <paramref name="model"/> goes now; a remote choice counts as one more request on that
    /// node until its next report.</summary>
    public ModelRoute Route(string model)
    {
        if (Local.Contains(model)) return ModelRoute.Local.Instance;
        var serving = _members.Where(kv => kv.Value.Models.Contains(model)).ToList();
        var reachable = serving.Where(kv => kv.Value.Reachable).ToList();
        if (reachable.Count == 0)
            return new ModelRoute.Unserved(serving.Count > 0
                ? $"every node that serves model '{model}' is unreachable ({string.Join(", ", serving.Select(kv => kv.Key).Order(StringComparer.Ordinal))})"
                : $"no node of the cluster serves model '{model}' (served here: {List(Local)}; elsewhere: {List(ServedElsewhere)})");
        var (node, member) = reachable
            .OrderByDescending(kv => kv.Value.Running(model))
            .ThenByDescending(kv => kv.Value.Free(model))
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .First();
        member.SentSinceReport[model] = member.SentSinceReport.GetValueOrDefault(model) + 1;
        return new ModelRoute.Remote(node);
    }

    private static string List(IEnumerable<string> models)
    {
        var sorted = models.Order(StringComparer.Ordinal).ToList();
        return sorted.Count == 0 ? "none" : string.Join(", ", sorted);
    }

    private sealed class Member(IReadOnlySet<string> models)
    {
        public IReadOnlySet<string> Models { get; } = models;
        public bool Reachable { get; set; } = true;
        public Dictionary<string, ModelCapacity.ModelLoad> Loads { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, int> SentSinceReport { get; } = new(StringComparer.Ordinal);

        /// <summary>Whether the model's pool runs there, as last reported (not reported yet: taken to run).</summary>
        public bool Running(string model) => !Loads.TryGetValue(model, out var load) || load.Running;

        /// <summary>Free sequences as last reported (0 when not reported yet), less the requests sent since.</summary>
        public int Free(string model) => (Loads.TryGetValue(model, out var load) ? load.Free : 0) - SentSinceReport.GetValueOrDefault(model);
    }
}
