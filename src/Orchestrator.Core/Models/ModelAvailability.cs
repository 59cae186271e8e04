namespace Orchestrator.Core.Models;

/// <summary>Whether a model can take requests from this node: its own pool answers a liveness probe, or a reachable
/// member of the cluster serves it. A model this node does not serve is therefore not down while another node serves
/// it. Not thread-safe: one actor owns it.</summary>
public sealed class ModelAvailability
{
    private readonly Dictionary<string, bool> _local = new(StringComparer.Ordinal);
    private IReadOnlySet<string> _elsewhere = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The models a reachable member of the cluster serves.</summary>
    public IReadOnlySet<string> Elsewhere => _elsewhere;

    /// <summary>Whether <paramref name="model"/> is available: alive here (as last probed) or served elsewhere.</summary>
    public bool IsAvailable(string model) => _local.GetValueOrDefault(model) || _elsewhere.Contains(model);

    /// <summary>A probe of this node's pool of <paramref name="model"/> answered; returns whether the model is
    /// available now.</summary>
    public bool Probed(string model, bool alive)
    {
        _local[model] = alive;
        return IsAvailable(model);
    }

    /// <summary>The models served elsewhere are now <paramref name="models"/>; returns those whose availability changed,
    /// with the new value.</summary>
    public IReadOnlyList<(string Model, bool Available)> ServedElsewhere(IReadOnlySet<string> models)
    {
        var before = _elsewhere;
        _elsewhere = models;
        return before.Union(models, StringComparer.Ordinal)
            .Where(m => before.Contains(m) != models.Contains(m) && !_local.GetValueOrDefault(m))
            .Order(StringComparer.Ordinal)
            .Select(m => (m, models.Contains(m)))
            .ToList();
    }
}
