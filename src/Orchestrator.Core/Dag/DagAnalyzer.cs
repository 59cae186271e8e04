namespace Orchestrator.Core.Dag;

/// <summary>Analyses a dependency graph in O(V+E): duplicates, unknown dependencies, cycles with their path,
/// topological order, parallel groups and critical path. Never throws on a bad graph; it reports every problem.</summary>
internal static class DagAnalyzer
{
    /// <summary>Analyses <paramref name="nodes"/>; <paramref name="learnedDurations"/> (by node id), when given,
    /// overrides estimates for the critical path. A node with neither counts as zero.</summary>
    public static DagAnalysis Analyze(
        IReadOnlyList<DagNode> nodes,
        IReadOnlyDictionary<string, TimeSpan>? learnedDurations = null)
    {
        var problems = new List<DagProblem>();
        var index = new Dictionary<string, int>(nodes.Count, StringComparer.Ordinal);
        var kept = new List<DagNode>(nodes.Count);
        foreach (var node in nodes)
        {
            if (index.TryAdd(node.Id, kept.Count)) kept.Add(node);
            else problems.Add(new DagProblem(DagProblemKind.DuplicateNode, node.Id, [node.Id],
                $"node '{node.Id}' is defined more than once"));
        }

        var n = kept.Count;
        var deps = new int[n][];
        var seen = new int[n];
        Array.Fill(seen, -1);
        var dependentCount = new int[n];
        for (var i = 0; i < n; i++)
        {
            var list = new List<int>(kept[i].DependsOn.Count);
            foreach (var dep in kept[i].DependsOn)
            {
                if (!index.TryGetValue(dep, out var j))
                {
                    problems.Add(new DagProblem(DagProblemKind.UnknownDependency, kept[i].Id, [kept[i].Id, dep],
                        $"node '{kept[i].Id}' depends on '{dep}', which is not a node"));
                    continue;
                }
                if (seen[j] == i) continue; // listed twice
                seen[j] = i;
                list.Add(j);
                dependentCount[j]++;
            }
            deps[i] = list.ToArray();
        }

        var dependents = new int[n][];
        for (var i = 0; i < n; i++) dependents[i] = new int[dependentCount[i]];
        var fill = new int[n];
        for (var i = 0; i < n; i++)
            foreach (var j in deps[i]) dependents[j][fill[j]++] = i;

        // Kahn's algorithm, with levels and longest finish times along the way.
        var pending = new int[n];
        var level = new int[n];
        var finish = new TimeSpan[n];
        var via = new int[n];
        var order = new List<int>(n);
        var queue = new Queue<int>();
        for (var i = 0; i < n; i++)
        {
            pending[i] = deps[i].Length;
            via[i] = -1;
            if (pending[i] == 0) queue.Enqueue(i);
        }
        var maxLevel = -1;
        while (queue.Count > 0)
        {
            var i = queue.Dequeue();
            order.Add(i);
            var best = TimeSpan.Zero;
            foreach (var j in deps[i])
            {
                if (level[j] + 1 > level[i]) level[i] = level[j] + 1;
                if (via[i] < 0 || finish[j] > best) { best = finish[j]; via[i] = j; }
            }
            finish[i] = best + DurationOf(kept[i], learnedDurations);
            if (level[i] > maxLevel) maxLevel = level[i];
            foreach (var k in dependents[i])
                if (--pending[k] == 0) queue.Enqueue(k);
        }

        if (order.Count < n) problems.AddRange(FindCycles(kept, deps, pending));

        var levels = new List<string>[maxLevel + 1];
        for (var l = 0; l <= maxLevel; l++) levels[l] = [];
        foreach (var i in order) levels[level[i]].Add(kept[i].Id);

        var path = new List<string>();
        var total = TimeSpan.Zero;
        if (order.Count > 0)
        {
            var end = order[0];
            foreach (var i in order) if (finish[i] > finish[end]) end = i;
            total = finish[end];
            for (var i = end; i >= 0; i = via[i]) path.Add(kept[i].Id);
            path.Reverse();
        }

        return new DagAnalysis(problems, order.ConvertAll(i => kept[i].Id), levels, path, total);
    }

    private static TimeSpan DurationOf(DagNode node, IReadOnlyDictionary<string, TimeSpan>? learned) =>
        learned is not null && learned.TryGetValue(node.Id, out var d) ? d : node.EstimatedDuration ?? TimeSpan.Zero;

    /// <summary>Iterative depth-first search over the nodes Kahn's algorithm could not order; each back edge is a cycle.</summary>
    private static IEnumerable<DagProblem> FindCycles(List<DagNode> nodes, int[][] deps, int[] pending)
    {
        const byte White = 0, Grey = 1, Black = 2;
        var color = new byte[nodes.Count];
        var stack = new List<(int Node, int Next)>();
        var positionOnStack = new int[nodes.Count];
        var cycles = new List<DagProblem>();
        for (var root = 0; root < nodes.Count; root++)
        {
            if (pending[root] == 0 || color[root] != White) continue;
            stack.Add((root, 0));
            color[root] = Grey;
            positionOnStack[root] = 0;
            while (stack.Count > 0)
            {
                var (node, next) = stack[^1];
                if (next == deps[node].Length)
                {
                    color[node] = Black;
                    stack.RemoveAt(stack.Count - 1);
                    continue;
                }
                stack[^1] = (node, next + 1);
                var dep = deps[node][next];
                if (pending[dep] == 0) continue; // ordered, so not on any cycle
                if (color[dep] == Grey)
                {
                    var path = new List<string>();
                    for (var s = positionOnStack[dep]; s < stack.Count; s++) path.Add(nodes[stack[s].Node].Id);
                    path.Add(nodes[dep].Id);
                    cycles.Add(new DagProblem(DagProblemKind.Cycle, nodes[dep].Id, path,
                        $"cycle: {string.Join(" → ", path)}"));
                }
                else if (color[dep] == White)
                {
                    color[dep] = Grey;
                    positionOnStack[dep] = stack.Count;
                    stack.Add((dep, 0));
                }
            }
        }
        return cycles;
    }
}
