using Orchestrator.Core.Workflows;

namespace Orchestrator.Benchmarks.Engine;

/// <summary>The DAGs of the engine benchmarks, as templates built in code, and the baseline that runs the same DAG
/// with plain <see cref="Task"/>s: each node awaits its dependencies, renders a prompt from their outputs and awaits an
/// instant "model" call (one <see cref="Task.Yield"/>), with no actors and no persistence.</summary>
internal static class BenchDags
{
    /// <summary>A chain of <paramref name="steps"/> nodes: node i depends on node i-1.</summary>
    public static WorkflowTemplate Chain(int steps) => new(
        $"chain-{steps}",
        Enumerable.Range(0, steps).Select(i => new WorkflowNode(
            Id(i), "worker", i == 0 ? "Begin the chain." : $"Step {i} after: {{output.{Id(i - 1)}}}",
            i == 0 ? [] : [Id(i - 1)])).ToList(),
        new SessionSettingsSpec(MaxConcurrentTasks: 4),
        []);

    /// <summary>One root, <paramref name="width"/> parallel nodes depending on it, and one join node depending on all of
    /// them: <paramref name="width"/> + 2 tasks. The session may run all of them at once.</summary>
    public static WorkflowTemplate FanOut(int width) => new(
        $"fan-out-{width}",
        [
            new WorkflowNode("root", "worker", "Split the work.", []),
            .. Enumerable.Range(0, width).Select(i => new WorkflowNode(Id(i), "worker", $"Part {i} of: {{output.root}}", ["root"])),
            new WorkflowNode("join", "worker", "Join the parts: {INPUTS}", Enumerable.Range(0, width).Select(Id).ToList()),
        ],
        new SessionSettingsSpec(MaxConcurrentTasks: width + 2),
        []);

    private static string Id(int i) => $"t{i:D5}";

    /// <summary>Time to run <paramref name="template"/>'s DAG with plain tasks (nodes are listed after their
    /// dependencies).</summary>
    public static async Task<Timed> PlainTasksAsync(WorkflowTemplate template)
    {
        var watch = Timed.Start();
        var tasks = new Dictionary<string, Task<string>>(template.Nodes.Count, StringComparer.Ordinal);
        foreach (var node in template.Nodes)
            tasks[node.Id] = RunNodeAsync(node, node.DependsOn.Select(d => tasks[d]).ToArray());
        await Task.WhenAll(tasks.Values);
        return watch.Stop();
    }

    private static async Task<string> RunNodeAsync(WorkflowNode node, Task<string>[] dependencies)
    {
        var outputs = dependencies.Length == 0 ? [] : await Task.WhenAll(dependencies);
        var prompt = outputs.Length == 0 ? node.Prompt : node.Prompt + string.Join("\n", outputs);
        return await InstantModelCallAsync(prompt);
    }

    private static async Task<string> InstantModelCallAsync(string prompt)
    {
        await Task.Yield();
        return prompt.Length >= 0 ? "done" : "";
    }
}
