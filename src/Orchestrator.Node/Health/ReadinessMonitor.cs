using Akka.Actor;
using Akka.Cluster;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Engine.Diagnostics;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Node.Health;

/// <summary>Makes the node ready once its cluster member is Up and its journal answers a recovery; while the database
/// is unreachable it says why and tries again with back-off. Once ready, it probes the journal's database with a write
/// every <c>orchestrator.node.journal-probe-interval</c> (<see cref="JournalWriteProbe"/>): a failed probe makes the
/// node not ready with the reason, the next probe that succeeds makes it ready again. A failed journal statement
/// (<see cref="JournalFaults"/>) brings the next probe forward; one that found the database damaged
/// (<see cref="DatabaseDamage"/>) makes the node not ready until it is restarted.</summary>
public sealed class ReadinessMonitor(
    ActorSystem system,
    NodeSettings settings,
    NodeReadiness readiness,
    NodeStart start,
    JournalFaults faults,
    ILogger<ReadinessMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private volatile string? _journalProblem;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cluster = Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        // The journal is probed while the member joins: its first recovery (the plugin's start, the first queries) is
        // most of the way to ready, and it does not need the cluster.
        var journal = WaitForJournalAsync(stoppingToken);
        _ = ReportOverdueAsync(stoppingToken);
        if (!up.Task.IsCompleted)
            readiness.Waiting($"waiting for cluster member {cluster.SelfAddress} to be Up" + (settings.SeedNodes.Count == 0
                ? ""
                : settings.Persistence.Provider == PersistenceProvider.PostgreSql
                    ? $", joining the nodes that hold leases in the database, or orchestrator.node.seed-nodes = [{string.Join(", ", settings.SeedNodes)}] " +
                      $"when none does (are they running, with system-name '{settings.SystemName}'?)"
                    : $", joining through orchestrator.node.seed-nodes = [{string.Join(", ", settings.SeedNodes)}] (are they running, with system-name '{settings.SystemName}'?)"));
        await up.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        if (!journal.IsCompleted && _journalProblem is null)
            readiness.Waiting($"waiting for the journal ({DatabaseCheck.Describe(settings.Persistence)})");
        await journal.ConfigureAwait(false);

        var elapsed = start.Elapsed;
        var ready = $"member {cluster.SelfAddress} Up; journal on {DatabaseCheck.Describe(settings.Persistence)} answering";
        readiness.MarkReady(ready);
        logger.LogInformation(
            "Orchestrator node ready in {ElapsedMs} ms: member {Address} Up, journal on {Database} answering, API on http://{ApiHost}:{ApiPort}",
            (long)elapsed.TotalMilliseconds, cluster.SelfAddress, DatabaseCheck.Describe(settings.Persistence), settings.Api.Host, settings.Api.Port);
        await WatchJournalAsync(cluster.SelfAddress.ToString(), ready, stoppingToken).ConfigureAwait(false);
    }

    /// <summary>Probes the journal's database with a write every interval until the node stops, turning readiness off
    /// and on with the outcome. A probe that outlives its timeout counts as failed, and is awaited again at the next
    /// tick rather than joined by another (a hung file system never piles up probes).</summary>
    private async Task WatchJournalAsync(string node, string ready, CancellationToken stoppingToken)
    {
        var probeSettings = settings.JournalProbe;
        var probe = new JournalWriteProbe(settings.Persistence, node, probeSettings.Timeout);
        var health = JournalHealth.Healthy;
        Task<string?>? inFlight = null;
        using var timer = new PeriodicTimer(probeSettings.Interval);
        Task? tick = null;
        Task<string>? fault = null;
        try
        {
            while (true)
            {
                // The timer allows one wait at a time: a wait that lost to a fault is kept for the next round.
                tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
                fault ??= faults.WaitAsync(stoppingToken).AsTask();
                // While failing, faults are expected (every journal write fails): the ticks alone pace the probes.
                var woke = await Task.WhenAny(health.IsFailing ? [tick] : [tick, fault]).ConfigureAwait(false);
                await woke.ConfigureAwait(false);
                if (woke == fault)
                {
                    logger.LogWarning("A journal statement failed ({Error}): probing the database now", fault.Result);
                    fault = null;
                }
                else
                    tick = null;

                if (faults.Damage is { } damage)
                {
                    Report(health.AfterDamage(DatabaseDamage.Reason(settings.Persistence, damage)));
                    continue;
                }
                inFlight ??= probe.ProblemAsync(stoppingToken);
                string? problem;
                try
                {
                    problem = await inFlight.WaitAsync(probeSettings.Timeout, stoppingToken).ConfigureAwait(false);
                    inFlight = null;
                }
                catch (TimeoutException)
                {
                    problem = $"{DatabaseCheck.Describe(settings.Persistence)} did not take a write within " +
                              $"{probeSettings.Timeout.TotalSeconds:0.#} s (orchestrator.node.journal-probe-timeout)";
                }

                Report(health.After(problem, DateTimeOffset.UtcNow));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        void Report((JournalHealth Next, JournalHealthChange Change) outcome)
        {
            (health, var change) = outcome;
            if (health.IsFailing)
                readiness.Failing(health.Reason);
            else if (change == JournalHealthChange.Recovered)
                readiness.MarkReady(ready);
            switch (change)
            {
                case JournalHealthChange.Failed or JournalHealthChange.ProblemChanged:
                    logger.LogError("Node not ready: {Problem}", health.Damage ?? health.Problem);
                    break;
                case JournalHealthChange.Recovered:
                    logger.LogInformation("Node ready again: journal on {Database} takes writes", DatabaseCheck.Describe(settings.Persistence));
                    break;
            }
        }
    }

    /// <summary>Past <c>orchestrator.node.ready-timeout</c> without being ready, the node says so, with what it waits
    /// for, in its log and in every not-ready answer; it keeps trying.</summary>
    private async Task ReportOverdueAsync(CancellationToken stoppingToken)
    {
        try
        {
            await readiness.WhenReady.WaitAsync(settings.ReadyTimeout, stoppingToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            readiness.Overdue($"not ready after {settings.ReadyTimeout.TotalSeconds:0.#} s (orchestrator.node.ready-timeout)");
            logger.LogError("Node {Reason}", readiness.Current.Reason);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Probes the journal until it answers a recovery, saying why it does not meanwhile and trying again with
    /// back-off.</summary>
    private async Task WaitForJournalAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            if (_journalProblem is { } lastProblem)
                readiness.Waiting($"not ready: {lastProblem}; trying again (attempt {attempt})");
            if (await JournalAnswersAsync(attempt).ConfigureAwait(false))
            {
                readiness.JournalAnswers();
                return;
            }
            var problem = await DatabaseCheck.ProblemAsync(settings.Persistence, stoppingToken).ConfigureAwait(false)
                          ?? $"the journal on {DatabaseCheck.Describe(settings.Persistence)} did not answer a recovery within {ProbeTimeout.TotalSeconds:0} s";
            _journalProblem = problem;
            readiness.Waiting($"not ready: {problem}; retrying in {backoff.TotalSeconds:0.##} s");
            logger.LogError("Node not ready: {Problem}; retrying in {Backoff}", problem, backoff);
            await Task.Delay(backoff, stoppingToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private async Task<bool> JournalAnswersAsync(int attempt)
    {
        var probe = system.ActorOf(JournalProbe.Props("node-readiness"), $"readiness-probe-{attempt}");
        try
        {
            await probe.Ask<ProbeCommands.State>(new ProbeCommands.GetState(), ProbeTimeout).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return false;
        }
        finally
        {
            system.Stop(probe);
        }
    }
}
