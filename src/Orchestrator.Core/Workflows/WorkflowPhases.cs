namespace Orchestrator.Core.Workflows;

/// <summary>Node phases the engine gives a meaning to; any other phase is a label for people and dashboards.</summary>
public static class WorkflowPhases
{
    /// <summary>A planner: its reply must be a <c>task_list</c>, which expands the <see cref="PerTask"/> nodes that
    /// depend on it.</summary>
    public const string Planning = "planning";

    /// <summary>A prototype run once per task a planner proposes (<c>{TASK_TITLE}</c>, <c>{TASK_DESCRIPTION}</c>,
    /// <c>{TASK_SCOPE}</c> in its prompt); never run itself. Nodes depending on it wait for every instance.</summary>
    public const string PerTask = "per-task";

    /// <summary>An instance of a <see cref="PerTask"/> prototype, made from a planner's proposed task.</summary>
    public const string Worker = "worker";

    /// <summary>The scorer: its reply is <c>{score, critique, tasks?}</c> and drives iterations.</summary>
    public const string Scoring = "scoring";
}
