namespace Orchestrator.Core.Models;

/// <summary>Where one request for a model goes (<see cref="ModelPlacement.Route"/>).</summary>
public abstract record ModelRoute
{
    private ModelRoute()
    {
    }

    /// <summary>To this node's own pool of the model.</summary>
    public sealed record Local : ModelRoute
    {
        /// <summary>The one instance.</summary>
        public static Local Instance { get; } = new();
    }

    /// <summary>To the model manager of the member at <paramref name="Node"/> (its cluster address).</summary>
    public sealed record Remote(string Node) : ModelRoute;

    /// <summary>Nowhere: no reachable member serves the model; <paramref name="Reason"/> names it and what is served.</summary>
    public sealed record Unserved(string Reason) : ModelRoute;
}
