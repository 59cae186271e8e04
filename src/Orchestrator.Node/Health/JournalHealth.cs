namespace Orchestrator.Node.Health;

/// <summary>What the journal's write probes have said so far: healthy, or failing since the first of an unbroken run of
/// failed probes. Pure: the <see cref="ReadinessMonitor"/> feeds it each probe's outcome and acts on the change.</summary>
internal sealed record JournalHealth(string? Problem, DateTimeOffset FailingSince, int FailedProbes)
{
    /// <summary>No probe has failed since the last that succeeded.</summary>
    public static readonly JournalHealth Healthy = new(null, default, 0);

    /// <summary>True while the last probe failed.</summary>
    public bool IsFailing => Problem is not null;

    /// <summary>The not-ready reason while failing: the problem, since when, and how many probes in a row.</summary>
    public string Reason => IsFailing
        ? $"not ready: {Problem} (failing since {FailingSince:HH:mm:ss} UTC, {FailedProbes} probe{(FailedProbes == 1 ? "" : "s")} in a row)"
        : "journal answering";

    /// <summary>The health after a probe that found <paramref name="problem"/> (null: the write was committed) at
    /// <paramref name="now"/>, and what changed.</summary>
    public (JournalHealth Next, JournalHealthChange Change) After(string? problem, DateTimeOffset now)
    {
        if (problem is null)
            return (Healthy, IsFailing ? JournalHealthChange.Recovered : JournalHealthChange.None);
        if (!IsFailing)
            return (new JournalHealth(problem, now, 1), JournalHealthChange.Failed);
        var next = new JournalHealth(problem, FailingSince, FailedProbes + 1);
        return (next, problem == Problem ? JournalHealthChange.None : JournalHealthChange.ProblemChanged);
    }
}

/// <summary>What one probe changed in <see cref="JournalHealth"/>: what the node logs and tells its readiness.</summary>
internal enum JournalHealthChange
{
    /// <summary>As before: still healthy, or failing the same way.</summary>
    None,
    /// <summary>The first failed probe after a healthy one: the node is no longer ready.</summary>
    Failed,
    /// <summary>Still failing, for another reason than the previous probe.</summary>
    ProblemChanged,
    /// <summary>The first probe that succeeded after failed ones: the node is ready again.</summary>
    Recovered,
}
