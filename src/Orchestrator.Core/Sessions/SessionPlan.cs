using Orchestrator.Core.Dag;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Protocol;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Sessions;

/// <summary>The outcome of a planner's task list: one <c>PlanAccepted</c> per prototype it expands, or every problem
/// (then the planner's attempt should fail, retryable, with the problems as reason).</summary>
internal sealed record ExpansionResult(IReadOnlyList<PlanAccepted> Events, IReadOnlyList<string> Problems)
{
    public bool IsValid => Problems.Count == 0;
}

/// <summary>A session's plan: tasks joining it (<c>PlanAccepted</c>, from the template or from a planner's task list
/// expanding a prototype), and the validation of a planner's task list before it is accepted.</summary>
internal static class SessionPlan
{
    /// <summary>The state after tasks joined the plan: each new task waits for its dependencies (or is skipped when one
    /// already failed); an expanded prototype is done, and whatever waited for it waits for its instances.</summary>
    internal static SessionState Apply(SessionState state, PlanAccepted p)
    {
        var edit = new SessionStateEditor(state);
        var added = new List<TaskState>();
        foreach (var spec in p.Tasks)
        {
            if (edit.Tasks.ContainsKey(spec.Id)) continue;
            var task = new TaskState(spec, TaskRunState.Pending, edit.Tasks.Count);
            edit.Tasks[spec.Id] = task;
            added.Add(task);
            foreach (var dep in spec.DependencyIds()) edit.AddDependent(dep, spec.Id);
        }
        if (p.ExpandedFrom is { } prototypeId && edit.Tasks.TryGetValue(prototypeId, out var prototype)
            && prototype.State == TaskRunState.Pending)
        {
            // Whatever waited for the prototype now also waits for each instance; the prototype itself is done.
            var ids = added.Select(t => t.Spec.Id).ToList();
            foreach (var dependentId in edit.DependentsOf(prototypeId))
            {
                var d = edit.Tasks[dependentId];
                edit.Tasks[dependentId] = d with
                {
                    Spec = d.Spec with { DependsOn = [.. d.Spec.DependsOn, .. ids.Select(id => id.Value)] },
                    PendingDependencies = d.PendingDependencies + ids.Count,
                };
                foreach (var id in ids) edit.AddDependent(id, dependentId);
            }
            edit.Tasks[prototypeId] = prototype with { State = TaskRunState.Succeeded, Output = $"expanded into {ids.Count} tasks" };
            edit.Succeeded++;
            edit.Release(prototypeId);
        }
        foreach (var task in added)
        {
            var pending = 0;
            string? poison = null;
            foreach (var dep in task.Spec.DependsOn)
            {
                var depState = TaskId.TryParse(dep, out var depId) && edit.Tasks.TryGetValue(depId, out var d) ? d.State : TaskRunState.Failed;
                if (depState != TaskRunState.Succeeded) pending++;
                if (depState is TaskRunState.Failed or TaskRunState.Skipped) poison ??= $"input '{dep}' {depState.ToString().ToLowerInvariant()}";
            }
            var current = edit.Tasks[task.Spec.Id] with { PendingDependencies = pending };
            edit.Tasks[task.Spec.Id] = current;
            if (poison is not null) edit.PendingSkips[task.Spec.Id] = poison;
            else if (pending == 0) edit.MakeReady(current);
        }
        return edit.Build();
    }

    /// <summary>The prototypes (<see cref="WorkflowPhases.PerTask"/>) waiting on <paramref name="plannerTaskId"/>.</summary>
    internal static IReadOnlyList<TaskState> PrototypesWaitingOn(this SessionState state, TaskId plannerTaskId) =>
        state.Dependents.GetValueOrDefault(plannerTaskId, [])
            .Select(id => state.Tasks[id])
            .Where(IsWaitingPrototype)
            .OrderBy(t => t.Order)
            .ToList();

    /// <summary>Whether any prototype waits on <paramref name="plannerTaskId"/>, without building the list (a step asks
    /// this of every outcome).</summary>
    internal static bool HasPrototypesWaitingOn(this SessionState state, TaskId plannerTaskId)
    {
        if (!state.Dependents.TryGetValue(plannerTaskId, out var dependents)) return false;
        foreach (var id in dependents)
            if (IsWaitingPrototype(state.Tasks[id])) return true;
        return false;
    }

    private static bool IsWaitingPrototype(TaskState t) => t.Spec.IsPrototype && t.State == TaskRunState.Pending;

    /// <summary>Validates a planner's task list the way a template is validated (ids, unknown dependencies, cycles
    /// with their path) and expands every prototype waiting on the planner: instance <c>&lt;prototype&gt;-&lt;task&gt;</c>
    /// gets the prototype's prompt with <c>{TASK_TITLE}</c>, <c>{TASK_DESCRIPTION}</c> and <c>{TASK_SCOPE}</c> filled
    /// in, the prototype's dependencies plus its own, and the proposed priority and role.</summary>
    internal static ExpansionResult DecideExpansion(this SessionState state, TaskId plannerTaskId, TaskListData list, DateTimeOffset now)
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
        var prototypes = state.PrototypesWaitingOn(plannerTaskId);
        if (prototypes.Count == 0) problems.Add($"no per-task node waits on '{plannerTaskId}'");
        if (problems.Count > 0) return new ExpansionResult([], problems);

        var events = new List<PlanAccepted>();
        foreach (var prototype in prototypes)
        {
            var p = prototype.Spec;
            TaskId InstanceId(string id) => TaskId.Parse(TaskId.Instance(p.Id.Value, id));
            var collisions = list.Tasks.Select(t => InstanceId(t.Id)).Where(state.Tasks.ContainsKey).ToList();
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
                [.. p.DependsOn, .. t.Dependencies.Select(d => InstanceId(d).Value)],
                t.Priority,
                p.Timeout,
                p.Retries,
                p.OutputSchema,
                WorkflowPhases.Worker,
                p.EstimatedDuration,
                p.Council,
                p.Chat,
                p.Resources,
                p.Kind ?? p.Id.Value)).ToList();
            events.Add(new PlanAccepted(state.Id, planned, p.Id, now));
        }
        return problems.Count > 0 ? new ExpansionResult([], problems) : new ExpansionResult(events, []);
    }
}
