namespace Orchestrator.Engine.Models;

/// <summary>How a node's <see cref="ModelRouter"/> shares its models' load: every <paramref name="LoadInterval"/> it asks
/// its own pools for their figures and publishes them to the cluster. A request sent to another node with no timeout of
/// its own is followed for <paramref name="UntimedRetention"/> (one with a timeout, for that timeout and
/// <see cref="ModelCallingActor.Grace"/>): past it, a node lost later no longer fails it.</summary>
public sealed record ModelRouterSettings(TimeSpan LoadInterval, TimeSpan UntimedRetention)
{
    /// <summary>Loads shared every second; untimed requests followed for 10 minutes.</summary>
    public static ModelRouterSettings Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
}
