using Orchestrator.Core.Dag;
using Orchestrator.Core.Protocol;
using Orchestrator.Core.Workflows;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Sessions;

/// <summary>The outcome of a planner's task list: one <c>PlanAccepted</c> per prototype it expands, or every problem
/// (then the planner's attempt should fail, retryable, with the problems as reason).</summary>
internal sealed record ExpansionResult(IReadOnlyList<PlanAccepted> Events, IReadOnlyList<string> Problems)
{
    internal bool IsValid => Problems.Count == 0;
}

internal sealed partial record SessionState
{
    /// <summary>The prototypes (<see cref="WorkflowPhases.PerTask"/>) waiting on <paramref name="plannerTaskId"/>.</summary>
    public IReadOnlyList<TaskState> PrototypesWaitingOn(string plannerTaskId) =>
        Dependents.GetValueOrDefault(plannerTaskId, [])
            .Select(id => Tasks[id])
            .Where(IsWaitingPrototype)
            .OrderBy(t => t.Order)
            .ToList();

    /// <summary>Whether any prototype waits on <paramref name="plannerTaskId"/>, without building the list (a step asks
    /// this of every outcome).</summary>
    public bool HasPrototypesWaitingOn(string plannerTaskId)
    {
        if (!Dependents.TryGetValue(plannerTaskId, out var dependents)) return false;
        foreach (var id in dependents)
            if (IsWaitingPrototype(Tasks[id])) return true;
        return false;
    }

    private static bool IsWaitingPrototype(TaskState t) => t.Spec.IsPrototype && t.State == TaskRunState.Pending;

    /// <summary>Validates a planner's task list the way a template is validated (ids, unknown dependencies, cycles
    /// with their path) and expands every prototype waiting on the planner: instance <c>&lt;prototype&gt;-&lt;task&gt;</c>
    /// gets the prototype's prompt with <c>{TASK_TITLE}</c>, <c>{TASK_DESCRIPTION}</c> and <c>{TASK_SCOPE}</c> filled
    /// in, the prototype's dependencies plus its own, and the proposed priority and role.</summary>
    public ExpansionResult DecideExpansion(string plannerTaskId, TaskListData list, DateTimeOffset now)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in list.Tasks)
        {
            if (ProposedTaskId.Problem(t.Id) is { } problem) problems.Add(problem);
            if (!seen.Add(t.Id)) problems.Add($"task '{t.Id}' is proposed more than once");
        }
        var analysis = DagAnalyzer.Analyze(list.Tasks.DistinctBy(t => t.Id).Select(t => new DagNode(t.Id, t.Dependencies)).ToList());
        problems.AddRange(analysis.Problems.Select(p => p.Message));
        var prototypes = PrototypesWaitingOn(plannerTaskId);
        if (prototypes.Count == 0) problems.Add($"no per-task node waits on '{plannerTaskId}'");
        if (problems.Count > 0) return new ExpansionResult([], problems);

        var events = new List<PlanAccepted>();
        foreach (var prototype in prototypes)
        {
            var p = prototype.Spec;
            string InstanceId(string id) => $"{p.Id}-{id}";
            var collisions = list.Tasks.Select(t => InstanceId(t.Id)).Where(Tasks.ContainsKey).ToList();
            if (collisions.Count > 0)
            {
                problems.Add($"tasks {string.Join(", ", collisions)} already exist");
                continue;
            }
            var planned = list.Tasks.Select(t => new PlannedTask(
                InstanceId(t.Id),
                t.Role ?? p.AgentRole,
                Placeholders.Substitute(p.Prompt, name => name switch
                {
                    Placeholders.TaskTitle => t.Title,
                    Placeholders.TaskDescription => t.Description ?? "",
                    Placeholders.TaskScope => string.Join(", ", t.Scope),
                    _ => null,
                }),
                [.. p.DependsOn, .. t.Dependencies.Select(InstanceId)],
                t.Priority,
                p.Timeout,
                p.Retries,
                p.OutputSchema,
                WorkflowPhases.Worker,
                p.EstimatedDuration,
                p.Council,
                p.Chat,
                p.Resources,
                p.Kind ?? p.Id)).ToList();
            events.Add(new PlanAccepted(SessionId, planned, p.Id, now));
        }
        return problems.Count > 0 ? new ExpansionResult([], problems) : new ExpansionResult(events, []);
    }
}
