using System.Diagnostics;
using Orchestrator.Core.Agents;
using Orchestrator.Core.Decisions;

namespace Orchestrator.Benchmarks;

/// <summary>The node's dispatch decision with the decision engine's <see cref="DispatchBoard"/>: 1,000 registered agents
/// (those of <see cref="AgentSelectionBenchmark"/>, with 20,000 learned outcomes), 100 sessions each always wanting 8
/// tasks (a role in 4 of 5, a capability in half), 400 node slots, all taken. Each operation is what a session's outcome
/// does: give back one slot (the board grants it across the waiting sessions by priority and fairness, choosing the
/// agent) and ask again with the next tasks. Microseconds per granted dispatch, beside one naive linear-scan agent
/// selection in the same run (the cost of choosing an agent by reading every agent once). Goal: at most 20 µs.</summary>
internal static class DispatchDecisionBenchmark
{
    private const int Sessions = 100;
    private const int Wanted = 8;
    private const int Slots = 400;

    public static Task RunAsync(BenchOptions options)
    {
        var (state, _, settings) = AgentSelectionBenchmark.Build(new Random(42));
        var random = new Random(11);
        for (var run = 1; run <= options.Runs; run++)
        {
            var board = new DispatchBoard(Slots, settings);
            board.Adopt(state);
            var next = new int[Sessions];
            var held = Enumerable.Range(0, Sessions).Select(_ => new List<DispatchGrant>()).ToArray();
            var wanted = Enumerable.Range(0, Sessions).Select(_ => new List<DispatchCandidate>()).ToArray();
            void Take(IReadOnlyList<DispatchAnswer> answers, ref long grants)
            {
                foreach (var answer in answers)
                {
                    var s = int.Parse(answer.SessionId.AsSpan(1));
                    foreach (var g in answer.Grants)
                    {
                        held[s].Add(g);
                        wanted[s].RemoveAll(c => c.TaskId == g.TaskId);
                        grants++;
                    }
                    foreach (var r in answer.Refusals) wanted[s].RemoveAll(c => c.TaskId == r.TaskId);
                }
            }
            void Refill(int s)
            {
                while (wanted[s].Count < Wanted)
                {
                    var role = random.Next(5) == 0 ? "" : $"role{random.Next(5)}";
                    IReadOnlyList<string> caps = random.Next(2) == 0 ? [] : [$"cap{random.Next(20)}"];
                    wanted[s].Add(new DispatchCandidate($"t{next[s]++}", 1, role.Length == 0 ? $"role{random.Next(5)}" : role, caps,
                        $"kind{random.Next(50)}", random.Next(3)));
                }
            }
            long warmGrants = 0;
            for (var s = 0; s < Sessions; s++)
            {
                Refill(s);
                Take(board.Demand($"s{s}", wanted[s]), ref warmGrants);
            }
            var operations = options.Quick ? 20_000 : 100_000;
            long grantsMade = 0;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < operations; i++)
            {
                var s = random.Next(Sessions);
                if (held[s].Count == 0)
                {
                    Refill(s);
                    Take(board.Demand($"s{s}", wanted[s]), ref grantsMade);
                    continue;
                }
                var done = held[s][random.Next(held[s].Count)];
                held[s].Remove(done);
                Take(board.Release(done.SessionId, done.TaskId, done.Attempt), ref grantsMade);
                Refill(s);
                Take(board.Demand($"s{s}", wanted[s]), ref grantsMade);
            }
            watch.Stop();
            var perGrant = watch.Elapsed.TotalMicroseconds / Math.Max(1, grantsMade);

            var requests = Enumerable.Range(0, 4096).Select(_ => (Role: $"role{random.Next(5)}", Kind: $"kind{random.Next(50)}")).ToArray();
            var scans = 5_000;
            var scan = Stopwatch.StartNew();
            var sink = 0;
            for (var i = 0; i < scans; i++)
                sink += AgentSelector.LinearScan(state, settings, _ => true, [], requests[i % requests.Length].Role, requests[i % requests.Length].Kind) is null ? 0 : 1;
            scan.Stop();
            GC.KeepAlive(sink);
            Report.Note($"run {run}: {grantsMade:N0} grants in {operations:N0} operations, {board.Granted} of {Slots} slots held, {board.Waiting} sessions waiting");
            Report.Line("dispatch decision, 1000 agents, 100 sessions", perGrant, "µs/grant", ("linear-scan selection", scan.Elapsed.TotalMicroseconds / scans));
        }
        return Task.CompletedTask;
    }
}
