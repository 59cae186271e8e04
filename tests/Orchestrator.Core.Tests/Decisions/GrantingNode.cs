using Orchestrator.Core.Decisions;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Models;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Steps;

namespace Orchestrator.Core.Tests.Decisions;

/// <summary>A node with <see cref="NodeFreeSlots"/> free slots that grants the tasks a session wants, in the session's
/// order, each on its role's model: what a node's decision engine does when no agent is registered.</summary>
internal sealed record NodeContext(
    int NodeFreeSlots,
    DateTimeOffset Now,
    IReadOnlyDictionary<string, string>? ModelByRole = null,
    int ExamplesPerReason = 5,
    int ScanWindow = 64);

/// <summary>The dispatch planner and the session step as they run against a <see cref="NodeContext"/>: once to learn
/// what the session wants, then with the grants the node gives.</summary>
internal static class GrantingNode
{
    internal static DecisionOutcome Next(SessionState state, NodeContext node)
    {
        var asked = DispatchPlanner.Next(state, Context(node, new Dictionary<string, DispatchGrant>()));
        return DispatchPlanner.Next(state, Context(node, Grants(state, asked.Wanted ?? [], node)));
    }

    internal static SessionStep Plan(SessionState state, IReadOnlyList<IPersistedEvent> outcomes, int nodeFreeSlots, DateTimeOffset now,
        IReadOnlyDictionary<string, string>? modelByRole = null)
    {
        var node = new NodeContext(nodeFreeSlots, now, modelByRole);
        var asked = SessionStep.Plan(state, outcomes, new Dictionary<string, DispatchGrant>(), now, modelByRole);
        return SessionStep.Plan(state, outcomes, Grants(state, asked.Wanted, node), now, modelByRole);
    }

    private static Dictionary<string, DispatchGrant> Grants(SessionState state, IReadOnlyList<DispatchCandidate> wanted, NodeContext node) =>
        wanted.Take(node.NodeFreeSlots).ToDictionary(c => c.TaskId,
            c => new DispatchGrant(state.SessionId, c.TaskId, c.Attempt, null, RoleModels.ModelOf(node.ModelByRole, c.Role)));

    private static DecisionContext Context(NodeContext node, IReadOnlyDictionary<string, DispatchGrant> grants) =>
        new(grants, node.Now, node.ModelByRole, null, node.ExamplesPerReason, node.ScanWindow);
}
