using System.Diagnostics;
using Orchestrator.Core.Agents;
using Orchestrator.Core.Contracts;
using static Orchestrator.Core.Agents.AgentCommands;

namespace Orchestrator.Benchmarks;

/// <summary>Agent selection among 1,000 registered agents (20 capabilities, 5 roles, 50 task kinds, 20,000 recorded
/// outcomes, a third of the slots taken): microseconds per selection through the registry's index
/// (<see cref="AgentSelector"/>), beside the naive linear scan over every agent in the same run, for requests naming one
/// or two capabilities (sometimes a role) and for requests naming none (all 1,000 agents are candidates). Goal: under
/// 50 µs. Every indexed answer is checked against the scan's on a sample.</summary>
internal static class AgentSelectionBenchmark
{
    private const int Agents = 1000;

    public static Task RunAsync(BenchOptions options)
    {
        var (state, selector, settings) = Build(new Random(42));
        var random = new Random(7);
        var capabilities = Enumerable.Range(0, 20).Select(i => $"cap{i}").ToArray();
        var roles = Enumerable.Range(0, 5).Select(i => $"role{i}").ToArray();
        var filtered = Enumerable.Range(0, 4096).Select(_ => (
            Capabilities: (IReadOnlyList<string>)capabilities.OrderBy(_ => random.Next()).Take(random.Next(1, 3)).ToArray(),
            Role: random.Next(4) == 0 ? roles[random.Next(roles.Length)] : null,
            Kind: $"kind{random.Next(50)}")).ToArray();
        var open = Enumerable.Range(0, 4096).Select(_ => ((IReadOnlyList<string>)[], (string?)null, $"kind{random.Next(50)}")).ToArray();
        Report.Note($"{Agents} agents, {state.Stats.Count} learned (agent, kind) figures, {state.Assignments.Count} slots taken");

        foreach (var (label, requests) in new[] { ("1-2 capabilities", filtered), ("no filter", open) })
        {
            var mismatches = 0;
            foreach (var (caps, role, kind) in requests.Take(500))
                if (selector.Select(caps, role, kind, out _)?.Agent.Name != AgentSelector.LinearScan(state, settings, _ => true, caps, role, kind)?.Agent.Name)
                    mismatches++;
            Report.Note($"{label}: indexed and linear answers differ on {mismatches} of 500 requests");
            for (var run = 1; run <= options.Runs; run++)
            {
                var indexed = Measure(requests, 200_000, r => selector.Select(r.Item1, r.Item2, r.Item3, out _));
                var linear = Measure(requests, 5_000, r => AgentSelector.LinearScan(state, settings, _ => true, r.Item1, r.Item2, r.Item3));
                Report.Line($"agent selection, 1000 agents, {label}", indexed, "µs", ("linear scan", linear));
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Mean microseconds per call over <paramref name="calls"/> calls, after a warm-up.</summary>
    private static double Measure<T>(T[] requests, int calls, Func<T, AgentChoice?> select)
    {
        var sink = 0;
        for (var i = 0; i < Math.Min(calls, 2000); i++) sink += select(requests[i % requests.Length]) is null ? 0 : 1;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++) sink += select(requests[i % requests.Length]) is null ? 0 : 1;
        watch.Stop();
        GC.KeepAlive(sink);
        return watch.Elapsed.TotalMicroseconds / calls;
    }

    internal static (AgentRegistryState, AgentSelector, AgentRegistrySettings) Build(Random random)
    {
        var settings = new AgentRegistrySettings(new HashSet<string> { "m0", "m1", "m2", "m3" });
        var state = AgentRegistryState.Empty(settings.Alpha);
        var selector = AgentSelector.Build(state, settings);
        var now = DateTimeOffset.UtcNow;
        void Run(CommandResult d)
        {
            foreach (var e in d.Events)
            {
                state = state.Apply(e);
                selector.Apply(e, state);
            }
        }
        for (var i = 0; i < Agents; i++)
        {
            var caps = Enumerable.Range(0, 20).OrderBy(_ => random.Next()).Take(random.Next(3, 7)).Select(c => $"cap{c}").ToArray();
            var spec = Enumerable.Range(0, 50).Where(_ => random.Next(10) == 0).ToDictionary(k => $"kind{k}", _ => Math.Round(random.NextDouble(), 2));
            Run(state.Decide(new RegisterAgent($"agent{i:D4}", $"role{random.Next(5)}", caps, $"m{random.Next(4)}", random.Next(1, 9), spec), settings, now));
        }
        for (var i = 0; i < 20_000; i++)
            Run(state.Decide(new RecordTaskOutcome($"agent{random.Next(Agents):D4}", $"kind{random.Next(50)}", $"attempt{i}", random.Next(4) > 0,
                TimeSpan.FromMilliseconds(random.Next(200, 5000)), random.Next(50, 800), now)));
        for (var i = 0; i < 1500; i++)
            Run(state.Decide(new SelectAgent($"task{i}", $"kind{random.Next(50)}", []), selector, now));
        return (state, selector, settings);
    }
}
