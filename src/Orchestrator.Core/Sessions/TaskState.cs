using Orchestrator.Messages.Sessions;

namespace Orchestrator.Core.Sessions;

/// <summary>One task inside <see cref="SessionState"/>: its plan, where it is, its attempts (every dispatch counts,
/// for unique worker names) and failures (which count against the retry limit), the dependencies it still waits for,
/// and its output (for a scorer, its verdict as read once by its worker), the model and agent of its last attempt, and
/// how many of its attempts in a row were cut short by the node stopping (no outcome: a crash, a kill, a failover), and
/// for a human node the question last put to a person. Plain data: snapshots carry it as it is.</summary>
public sealed record TaskState(
    PlannedTask Spec,
    TaskRunState State,
    int Order,
    int Attempt = 0,
    int Failures = 0,
    int PendingDependencies = 0,
    long ReadySequence = 0,
    DateTimeOffset? RetryAt = null,
    string? Output = null,
    string? LastError = null,
    string? Critique = null,
    string? Model = null,
    DateTimeOffset? DispatchedAt = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    Orchestrator.Core.Protocol.ScorerVerdict? Verdict = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    string? Agent = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    int Interruptions = 0,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    HumanQuestion? Question = null)
{
    /// <summary>The name its outcomes are learned under: the agent that ran its last attempt, else its role.</summary>
    public string Learner => Agent ?? Spec.AgentRole;

    /// <summary>Succeeded, failed or skipped.</summary>
    public bool IsTerminal => State is TaskRunState.Succeeded or TaskRunState.Failed or TaskRunState.Skipped;
}
