namespace Orchestrator.Core.Decisions;

/// <summary>What the decision engine needs besides the session state: the node's free slots (its model pools'
/// capacity not taken by other sessions), the time, which model serves each agent role (the role itself when absent),
/// how many examples of held-back tasks to keep per reason, and how far past the free slots to look for a task that
/// spacing does not hold back.</summary>
internal sealed record DecisionContext(
    int NodeFreeSlots,
    DateTimeOffset Now,
    IReadOnlyDictionary<string, string>? ModelByRole = null,
    int ExamplesPerReason = 5,
    int ScanWindow = 64)
{
    internal string ModelOf(string role) => Models.RoleModels.ModelOf(ModelByRole, role);
}
