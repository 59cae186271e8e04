using Orchestrator.Core.Protocol;
using Orchestrator.Core.Workflows;

namespace Orchestrator.Core.Sessions;

/// <summary>What a task's reply is held to while it is generated, so that a llama model writes what
/// <see cref="TaskReplyReader"/> reads: the protocol's grammar for planners and per-task workers, the scorer's schema
/// for scorers, the node's output schema when it has one; free text otherwise.</summary>
public sealed record ReplyConstraint(string? Grammar, string? JsonSchema)
{
    private static readonly ReplyConstraint TaskList = new(ProtocolGrammar.Build(ResponsePhase.TaskList), null);
    private static readonly ReplyConstraint Completion = new(ProtocolGrammar.Build(ResponsePhase.Completion), null);

    /// <summary>The schema a scorer's reply meets when its node names none.</summary>
    internal const string ScorerSchema =
        """{"type":"object","properties":{"score":{"type":"number","minimum":0,"maximum":1},"critique":{"type":"string","maxLength":400}},"required":["score","critique"]}""";

    /// <summary>The constraint of <paramref name="task"/>'s replies.</summary>
    internal static ReplyConstraint For(PlannedTask task) => task.Phase switch
    {
        WorkflowPhases.Planning => TaskList,
        WorkflowPhases.Worker => Completion,
        WorkflowPhases.Scoring => new(null, task.OutputSchema ?? ScorerSchema),
        _ => new(null, task.OutputSchema),
    };
}
