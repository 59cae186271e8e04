namespace Orchestrator.Node.Health;

/// <summary>What the journal's write probes have said so far: healthy, or failing since the first of an unbroken run of
/// failed probes; or damaged, for good, once a statement found the database damaged (a damaged page does not heal,
/// and the probe's write does not touch it). Pure: the <see cref="ReadinessMonitor"/> feeds it each probe's outcome
/// and each damage found, and acts on the change.</summary>
internal sealed record JournalHealth(string? Problem, DateTimeOffset FailingSince, int FailedProbes, string? Damage = null)
{
    /// <summary>No probe has failed since the last that succeeded.</summary>
    public static readonly JournalHealth Healthy = new(null, default, 0);

    /// <summary>True while the last probe failed.</summary>
    public bool IsFailing => Problem is not null || Damage is not null;

    /// <summary>The not-ready reason while failing: the damage, or the problem, since when, and how many probes in a row.</summary>
    public string Reason =>
        Damage is not null ? $"not ready: {Damage}"
        : Problem is not null ? $"not ready: {Problem} (failing since {FailingSince:HH:mm:ss} UTC, {FailedProbes} probe{(FailedProbes == 1 ? "" : "s")} in a row)"
        : "journal answering";

    /// <summary>The health once a statement found the database damaged (<paramref name="damage"/> names it and what to
    /// do): failing from now on, whatever the probes say; news only the first time.</summary>
    public (JournalHealth Next, JournalHealthChange Change) AfterDamage(string damage) =>
        Damage is null ? (this with { Damage = damage }, JournalHealthChange.Failed) : (this, JournalHealthChange.None);

    /// <summary>The health after a probe that found <paramref name="problem"/> (null: the write was committed) at
    /// <paramref name="now"/>, and what changed.</summary>
    public (JournalHealth Next, JournalHealthChange Change) After(string? problem, DateTimeOffset now)
    {
        if (Damage is not null) return (this, JournalHealthChange.None);
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
