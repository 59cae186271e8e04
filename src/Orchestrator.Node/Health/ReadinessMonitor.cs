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

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cluster = Cluster.Get(system);
        readiness.Waiting($"waiting for cluster member {cluster.SelfAddress} to be Up");
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(stoppingToken).ConfigureAwait(false);

        var backoff = TimeSpan.FromMilliseconds(250);
        string? lastProblem = null;
        for (var attempt = 1; ; attempt++)
        {
            readiness.Waiting(lastProblem is null
                ? $"waiting for the journal ({DatabaseCheck.Describe(settings.Persistence)})"
                : $"not ready: {lastProblem}; trying again (attempt {attempt})");
            if (await JournalAnswersAsync(attempt).ConfigureAwait(false))
                break;
            var problem = await DatabaseCheck.ProblemAsync(settings.Persistence, stoppingToken).ConfigureAwait(false)
                          ?? $"the journal on {DatabaseCheck.Describe(settings.Persistence)} did not answer a recovery within {ProbeTimeout.TotalSeconds:0} s";
            lastProblem = problem;
            readiness.Waiting($"not ready: {problem}; retrying in {backoff.TotalSeconds:0.##} s");
            logger.LogError("Node not ready: {Problem}; retrying in {Backoff}", problem, backoff);
            await Task.Delay(backoff, stoppingToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }

        var elapsed = DateTime.Now - Process.GetCurrentProcess().StartTime;
        readiness.MarkReady($"member {cluster.SelfAddress} Up; journal on {DatabaseCheck.Describe(settings.Persistence)} answering");
        logger.LogInformation(
            "Orchestrator node ready in {ElapsedMs} ms: member {Address} Up, journal on {Database} answering, API on http://{ApiHost}:{ApiPort}",
            (long)elapsed.TotalMilliseconds, cluster.SelfAddress, DatabaseCheck.Describe(settings.Persistence), settings.Api.Host, settings.Api.Port);
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
