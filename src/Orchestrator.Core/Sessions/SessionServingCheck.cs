using Orchestrator.Core.Contracts;
using Orchestrator.Core.Models;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Core.Sessions;

/// <summary>A session starts only if every role its workflow needs can be served: a task's role, and each council
/// member's and chat participant's role (or the model it names), and the roles of a council's or chat's selector, a
/// chat's judge and summarizer. A role is served when a registered agent of that role
/// runs on a model that serves or is coming (loading, restarting, or served by a reachable member), or when its default
/// model does (<see cref="ServingModels.RoleProblem"/>).</summary>
public static class SessionServingCheck
{
    /// <summary>Every reason <paramref name="workflow"/> cannot run on <paramref name="serving"/>, one per role or
    /// model, in the order the workflow first needs them.</summary>
    public static IReadOnlyList<string> Problems(ResolvedWorkflow workflow, ServingModels serving) =>
        serving.Problems(workflow.Nodes.SelectMany(Needs));

    /// <summary><paramref name="result"/>, a start's decision, unless it creates a session that
    /// <paramref name="serving"/> cannot serve: then a rejection naming each role and model and why, nothing persisted,
    /// and <paramref name="before"/> kept. Without a view (models given by code) or one that holds no session
    /// (<see cref="ServingModels.HoldsSessions"/>), as it is.</summary>
    public static CommandResult<SessionState> UnlessUnserved(this CommandResult<SessionState> result, SessionState before, ServingModels? serving)
    {
        if (serving is not { HoldsSessions: true } || result.Events.OfType<SessionCreated>().FirstOrDefault() is not { } created) return result;
        var problems = Problems(created.Workflow, serving);
        return problems.Count == 0 ? result : new CommandResult<SessionState>([], new SessionRejected(created.SessionId.Value, problems), before);
    }

    /// <summary>What one node asks of the models: its role, or each member's role or named model; a council that names
    /// a council of the directory by role asks nothing here (its members are found when it runs), nor does a human node.</summary>
    private static IEnumerable<(string Role, string? Model)> Needs(WorkflowNode node) =>
        node.Human is not null ? []
        : node.Council is { IsReference: false } council ? council.Agents().Select(m => (m.Role, m.Model))
        : node.Chat is { } chat ? chat.Agents().Select(p => (p.Role, p.Model))
        : node.Council is not null ? []
        : [(node.AgentRole, (string?)null)];
}
