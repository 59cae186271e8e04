using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Engine.Diagnostics;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Node.Health;

/// <summary>Makes the node ready once its cluster member is Up and its journal answers a recovery; while the database
/// is unreachable it says why and tries again with back-off.</summary>
public sealed class ReadinessMonitor(
    ActorSystem system,
    NodeSettings settings,
    NodeReadiness readiness,
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
                : $", joining through orchestrator.node.seed-nodes = [{string.Join(", ", settings.SeedNodes)}] (are they running, with system-name '{settings.SystemName}'?)"));
        await up.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        if (!journal.IsCompleted && _journalProblem is null)
            readiness.Waiting($"waiting for the journal ({DatabaseCheck.Describe(settings.Persistence)})");
        await journal.ConfigureAwait(false);

        var elapsed = DateTime.Now - Process.GetCurrentProcess().StartTime;
        readiness.MarkReady($"member {cluster.SelfAddress} Up; journal on {DatabaseCheck.Describe(settings.Persistence)} answering");
        logger.LogInformation(
            "Orchestrator node ready in {ElapsedMs} ms: member {Address} Up, journal on {Database} answering, API on http://{ApiHost}:{ApiPort}",
            (long)elapsed.TotalMilliseconds, cluster.SelfAddress, DatabaseCheck.Describe(settings.Persistence), settings.Api.Host, settings.Api.Port);
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
