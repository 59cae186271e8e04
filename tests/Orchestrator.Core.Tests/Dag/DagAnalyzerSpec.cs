using System.Diagnostics;
using Orchestrator.Core.Dag;

namespace Orchestrator.Core.Tests.Dag;

[Collection(TimingCollection.Name)]
public class DagAnalyzerSpec
{
    private static DagNode N(string id, double seconds, params string[] deps) => new(id, deps, TimeSpan.FromSeconds(seconds));

    [Fact]
    public void Cycle_is_reported_with_its_path()
    {
        var analysis = DagAnalyzer.Analyze([N("a", 1, "b"), N("b", 1, "c"), N("c", 1, "a"), N("d", 1)]);

        var cycle = Assert.Single(analysis.Problems);
        Assert.Equal(DagProblemKind.Cycle, cycle.Kind);
        Assert.Equal(["a", "b", "c", "a"], cycle.Path);
        Assert.Equal("cycle: a → b → c → a", cycle.Message);
        Assert.Equal(["d"], analysis.TopologicalOrder);
    }

    [Fact]
    public void Self_dependency_is_a_cycle()
    {
        var cycle = Assert.Single(DagAnalyzer.Analyze([N("a", 1, "a")]).Problems);
        Assert.Equal(["a", "a"], cycle.Path);
    }

    [Fact]
    public void Unknown_dependencies_and_duplicates_are_named()
    {
        var problems = DagAnalyzer.Analyze([N("a", 1, "ghost", "spook"), N("a", 1)]).Problems;

        Assert.Contains(problems, p => p.Kind == DagProblemKind.UnknownDependency && p.Path.SequenceEqual(["a", "ghost"]));
        Assert.Contains(problems, p => p.Kind == DagProblemKind.UnknownDependency && p.Path.SequenceEqual(["a", "spook"]));
        Assert.Contains(problems, p => p.Kind == DagProblemKind.DuplicateNode && p.NodeId == "a");
    }

    [Fact]
    public void Topological_order_levels_and_critical_path_follow_dependencies()
    {
        var analysis = DagAnalyzer.Analyze([
            N("report", 1, "style", "plot"),
            N("style", 5, "read"),
            N("plot", 2, "read"),
            N("read", 1),
        ]);

        Assert.True(analysis.IsValid);
        var order = analysis.TopologicalOrder.ToList();
        Assert.True(order.IndexOf("read") < order.IndexOf("style"));
        Assert.True(order.IndexOf("style") < order.IndexOf("report"));
        Assert.Equal(3, analysis.Levels.Count);
        Assert.Equal(["read"], analysis.Levels[0]);
        Assert.Equal(["style", "plot"], analysis.Levels[1].OrderBy(x => x, StringComparer.Ordinal).Reverse());
        Assert.Equal(["read", "style", "report"], analysis.CriticalPath);
        Assert.Equal(TimeSpan.FromSeconds(7), analysis.CriticalPathDuration);
    }

    [Fact]
    public void Learned_durations_override_estimates_on_the_critical_path()
    {
        var nodes = new[] { N("report", 1, "style", "plot"), N("style", 5, "read"), N("plot", 2, "read"), N("read", 1) };
        var learned = new Dictionary<string, TimeSpan> { ["plot"] = TimeSpan.FromSeconds(20) };

        var analysis = DagAnalyzer.Analyze(nodes, learned);

        Assert.Equal(["read", "plot", "report"], analysis.CriticalPath);
        Assert.Equal(TimeSpan.FromSeconds(22), analysis.CriticalPathDuration);
    }

    [Fact]
    public void Ten_thousand_nodes_are_analysed_well_under_a_second()
    {
        // A 5,000-step chain plus a 5,000-wide fan-out/fan-in: both shapes that punish O(V²).
        var nodes = new List<DagNode> { N("c0", 1) };
        for (var i = 1; i < 5000; i++) nodes.Add(N($"c{i}", 1, $"c{i - 1}"));
        var fan = new List<string>();
        for (var i = 0; i < 4999; i++) { nodes.Add(N($"f{i}", 1, "c4999")); fan.Add($"f{i}"); }
        nodes.Add(N("join", 1, fan.ToArray()));
        DagAnalyzer.Analyze(nodes); // warm-up (JIT)

        DagAnalysis analysis = null!;
        var elapsed = TimingCollection.Best(3, () =>
        {
            var clock = Stopwatch.StartNew();
            analysis = DagAnalyzer.Analyze(nodes);
            return clock.Elapsed;
        });

        Assert.True(analysis.IsValid);
        Assert.Equal(10_000, analysis.TopologicalOrder.Count);
        Assert.Equal(5002, analysis.Levels.Count);
        Assert.Equal(5002, analysis.CriticalPath.Count);
        Assert.True(elapsed < TimeSpan.FromMilliseconds(250), $"took {elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public void A_long_cycle_is_found_without_recursion()
    {
        var nodes = Enumerable.Range(0, 10_000).Select(i => N($"n{i}", 1, $"n{(i + 1) % 10_000}")).ToList();
        var cycle = Assert.Single(DagAnalyzer.Analyze(nodes).Problems);
        Assert.Equal(10_001, cycle.Path.Count);
        Assert.Equal(cycle.Path[0], cycle.Path[^1]);
    }
}
