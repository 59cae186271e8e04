using Orchestrator.Core.Models;

namespace Orchestrator.Engine.Models;

/// <summary>The node's latest <see cref="ServingModels"/>: written by its decision engine (models configured here with
/// their states, models served elsewhere, agents by role), read by its sessions as they start and by its readiness.
/// One writer; readers on any thread see a whole snapshot.</summary>
public sealed class ModelServingView(IEnumerable<string> models, IReadOnlyDictionary<string, string>? modelByRole)
{
    private volatile ServingModels _current = ServingModels.Starting(models, modelByRole);

    /// <summary>The view now.</summary>
    public ServingModels Current => _current;

    /// <summary>Replaces the view with <paramref name="change"/> of it; called by its one writer.</summary>
    internal void Update(Func<ServingModels, ServingModels> change) => _current = change(_current);
}
