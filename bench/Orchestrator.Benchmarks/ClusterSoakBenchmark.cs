using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Llama.Gguf;
using Orchestrator.Testing;

namespace Orchestrator.Benchmarks;

/// <summary>No false downing under load: three node processes on a throwaway PostgreSQL, the tiny model on every node
/// (CPU-bound on a small machine, the hostile case for failure detection), kept busy with about 12 manuscript-review
/// sessions in flight for <c>--minutes</c> (10): a new one is started as one ends, the starts spread over the three
/// nodes' APIs. Once a second every node's <c>GET /api/cluster</c> is asked: any member seen not Up or not reachable is
/// an observation, and a member gone from a node's view (or no longer Up) is lost. At the end the nodes' output is
/// scanned for Akka's unreachable and downing lines. Goal (issue 20): 0 and 0. There is no baseline; the sessions
/// completed per minute stand beside the figures instead.</summary>
internal static class ClusterSoakBenchmark
{
    private const int Nodes = 3;
    private const int InFlight = 12;
    private static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(1);

    /// <summary>What Akka.NET's cluster logs when failure detection or the split-brain resolver acts.</summary>
    private static readonly string[] DowningLines =
        ["Marking node(s) as UNREACHABLE", "Marking exiting node(s) as UNREACHABLE", "SBR took decision", "Leader is removing", "Shutting down myself"];

    /// <summary>What Akka.NET's cluster logs when heartbeats come late (a warning, not a decision).</summary>
    private const string LateHeartbeat = "heartbeat interval is growing too large";

    /// <summary>What a node logs when it stops trusting that it holds a shard's or singleton's lease (LeaseKeeper).</summary>
    private const string LeaseLost = "is lost:";

    private sealed class Tally
    {
        public int Completed;
        public int Failed;
        public int Looks;
        public int UnreachableObservations;
        public int ApiErrors;
        public int Started;
        public int StartErrors;
        public TimeSpan SlowestStart;
        public readonly HashSet<string> Lost = new(StringComparer.Ordinal);
        public readonly List<string> Examples = [];
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var minutes = Math.Max(1, LlamaPoolBenchmark.IntOption(args, "--minutes", 10));
        Console.WriteLine($"cluster soak benchmark {DateTime.UtcNow:u}: {Nodes} nodes, the tiny model on each, about {InFlight} " +
                          $"manuscript-review sessions in flight for {minutes} min; load average {Engine.EngineBenchmarks.LoadAverage()}");
        var dir = Directory.CreateTempSubdirectory("orch-bench-soak-").FullName;
        try
        {
            var model = Path.Combine(dir, "tiny.gguf");
            TinyModel.Write(model, TinyModelSpec.Tiny);
            await using var cluster = await NodeCluster.StartAsync(dir, model, Nodes);
            for (var i = 1; i < Nodes; i++)
                await cluster.WaitForMembersAsync(i, Nodes); // node 0 sees them all Up; the others may still see one joining
            var apis = Enumerable.Range(0, Nodes).Select(cluster.Api).ToArray();
            var addresses = Enumerable.Range(0, Nodes).Select(cluster.Address).ToArray();
            var tally = new Tally();
            var clock = Stopwatch.StartNew();
            var until = TimeSpan.FromMinutes(minutes);
            var slots = Enumerable.Range(0, InFlight).Select(_ => KeepSessionGoingAsync(apis, clock, until, tally)).ToList();
            var nextReport = TimeSpan.FromMinutes(1);
            while (clock.Elapsed < until)
            {
                var look = Stopwatch.StartNew();
                await Task.WhenAll(apis.Select(api => LookAtMembersAsync(api, addresses, tally)));
                if (clock.Elapsed >= nextReport)
                {
                    lock (tally)
                        Console.WriteLine($"{clock.Elapsed.TotalMinutes:0} min: {tally.Completed} completed, {tally.Failed} failed, " +
                                          $"{tally.UnreachableObservations} unreachable observations, {tally.Lost.Count} members lost, slowest start " +
                                          $"{tally.SlowestStart.TotalSeconds:0.0} s; load average {Engine.EngineBenchmarks.LoadAverage()}");
                    nextReport += TimeSpan.FromMinutes(1);
                }
                if (LookEvery - look.Elapsed is { Ticks: > 0 } rest)
                    await Task.Delay(rest);
            }
            var inFlight = (await Task.WhenAll(slots)).Count(unfinished => unfinished);
            var elapsed = clock.Elapsed.TotalMinutes;
            var logged = Enumerable.Range(0, Nodes)
                .SelectMany(i => cluster[i].Output.Where(line => DowningLines.Any(d => line.Contains(d, StringComparison.Ordinal))).Select(line => $"node {i}: {line}"))
                .ToList();
            var late = Enumerable.Range(0, Nodes).Sum(i => cluster[i].Output.Count(line => line.Contains(LateHeartbeat, StringComparison.Ordinal)));
            var leasesLost = Enumerable.Range(0, Nodes)
                .SelectMany(i => cluster[i].Output.Where(line => line.Contains("Lease ", StringComparison.Ordinal) && line.Contains(LeaseLost, StringComparison.Ordinal))
                    .Select(line => $"node {i}: {line}"))
                .ToList();
            Console.WriteLine();
            Console.WriteLine($"minutes: {elapsed:0.0}");
            Console.WriteLine($"sessions completed: {tally.Completed} ({tally.Completed / elapsed:0.0} per minute), failed: {tally.Failed}, " +
                              $"still in flight at the end: {inFlight}, started: {tally.Started} ({tally.StartErrors} starts failed, the slowest start " +
                              $"{tally.SlowestStart.TotalSeconds:0.0} s)");
            Console.WriteLine($"unreachable observations: {tally.UnreachableObservations} in {tally.Looks} looks at a node's members " +
                              $"({tally.ApiErrors} looks unanswered)");
            Console.WriteLine($"downed members: {tally.Lost.Count}{(tally.Lost.Count > 0 ? $" ({string.Join(", ", tally.Lost)})" : "")}");
            Console.WriteLine($"unreachable / downing lines in the nodes' output: {logged.Count}; late-heartbeat warnings: {late}; " +
                              $"leases lost: {leasesLost.Count}");
            foreach (var line in logged.Concat(leasesLost).Concat(tally.Examples).Take(20))
                Report.Note(line);
            Console.WriteLine($"load average at the end {Engine.EngineBenchmarks.LoadAverage()}");
            foreach (var api in apis)
                api.Dispose();
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Asks one node for its members: every member not Up or not reachable is an observation, and one not Up
    /// or missing from the view is lost.</summary>
    private static async Task LookAtMembersAsync(HttpClient api, string[] addresses, Tally tally)
    {
        List<JsonElement> members;
        try
        {
            members = await NodeCluster.MembersAsync(api);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            lock (tally)
            {
                tally.ApiErrors++;
                tally.Looks++;
                if (tally.Examples.Count < 10) tally.Examples.Add($"{api.BaseAddress} /api/cluster: {e.Message}");
            }
            return;
        }
        lock (tally)
        {
            tally.Looks++;
            foreach (var member in members)
            {
                var address = member.GetProperty("address").GetString()!;
                var status = member.GetProperty("status").GetString();
                var reachable = member.GetProperty("reachable").GetBoolean();
                if (status == "Up" && reachable) continue;
                tally.UnreachableObservations++;
                if (tally.Examples.Count < 10) tally.Examples.Add($"{api.BaseAddress} sees {address} {status}, reachable {reachable}");
                if (status is "Leaving" or "Exiting" or "Down" or "Removed") tally.Lost.Add(address);
            }
            var seen = members.Select(m => m.GetProperty("address").GetString()).ToHashSet(StringComparer.Ordinal);
            tally.Lost.UnionWith(addresses.Where(a => !seen.Contains(a)));
        }
    }

    /// <summary>One of the sessions in flight, again and again until <paramref name="until"/>: starts a session through
    /// the next node's API, asks it every second whether it has ended, counts how, and starts the next. Returns whether
    /// the last one was still running at the end.</summary>
    private static async Task<bool> KeepSessionGoingAsync(HttpClient[] apis, Stopwatch clock, TimeSpan until, Tally tally)
    {
        while (clock.Elapsed < until)
        {
            int n;
            lock (tally) n = ++tally.Started;
            var api = apis[n % apis.Length];
            var starting = Stopwatch.StartNew();
            string id;
            try
            {
                id = (await NodeCluster.StartSessionsAsync(api, $"soak-{n}", 1)).Single();
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException)
            {
                lock (tally)
                {
                    tally.StartErrors++;
                    if (tally.Examples.Count < 10) tally.Examples.Add($"{api.BaseAddress} start of soak-{n} after {starting.Elapsed.TotalSeconds:0.0} s: {e.Message}");
                }
                await Task.Delay(LookEvery);
                continue;
            }
            lock (tally)
                if (starting.Elapsed > tally.SlowestStart) tally.SlowestStart = starting.Elapsed;
            while (true)
            {
                await Task.Delay(LookEvery);
                if (clock.Elapsed >= until) return true;
                string? lifecycle;
                try
                {
                    lifecycle = (await api.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}")).GetProperty("lifecycle").GetString();
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    continue; // asked again a second later
                }
                if (lifecycle is not ("completed" or "failed" or "cancelled")) continue;
                lock (tally)
                {
                    if (lifecycle == "completed") tally.Completed++;
                    else tally.Failed++;
                }
                break;
            }
        }
        return false;
    }
}
