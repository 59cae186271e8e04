namespace Orchestrator.Core.Models;

/// <summary>Where a configured model stands: loading for the first time, serving, restarting after it failed while
/// serving, or failed to load (its pool is tried again with back-off, but it has not served since).</summary>
public enum ModelServingState
{
    /// <summary>Its pool is loading it, with no failure since the node started.</summary>
    Loading,
    /// <summary>Loaded: it takes requests.</summary>
    Serving,
    /// <summary>It failed while serving (its host ended, its batcher failed) and its pool is starting again.</summary>
    Restarting,
    /// <summary>Its last load failed (a corrupt file, a model the validator or the probe refused): it does not serve.</summary>
    Failed,
}

/// <summary>A model's <see cref="ModelServingState"/> with the reason of its latest failure (null before any). Pure:
/// the model manager folds its pool's news into it.</summary>
public sealed record ModelServing(ModelServingState State, string? Reason = null)
{
    /// <summary>A model whose pool has just started for the first time.</summary>
    public static ModelServing Loading { get; } = new(ModelServingState.Loading);

    /// <summary>A model that takes requests.</summary>
    public static ModelServing Serving { get; } = new(ModelServingState.Serving);

    /// <summary>It takes requests now.</summary>
    public bool IsServing => State == ModelServingState.Serving;

    /// <summary>It serves or is expected to soon (loading, restarting): only a failed model is not coming.</summary>
    public bool IsComing => State != ModelServingState.Failed;

    /// <summary>After its pool failed for <paramref name="reason"/>: restarting when it was serving, else failed.</summary>
    public ModelServing Broke(string reason) =>
        new(State == ModelServingState.Serving ? ModelServingState.Restarting : ModelServingState.Failed, reason);

    /// <summary>The state as the API and <c>orch</c> spell it: <c>loading</c>, <c>serving</c>, <c>restarting</c>, <c>failed</c>.</summary>
    public string Name => State.ToString().ToLowerInvariant();

    /// <summary>How a refusal or the readiness says it: <c>is loading</c>, <c>failed: the reason</c>, ...</summary>
    public string Describe() => State switch
    {
        ModelServingState.Serving => "is serving",
        ModelServingState.Loading => "is loading",
        ModelServingState.Restarting => $"is restarting after a failure ({Reason})",
        _ => $"failed: {Reason}",
    };
}
