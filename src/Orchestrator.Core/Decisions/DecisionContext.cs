namespace Orchestrator.Core.Decisions;

/// <summary>What the dispatch planner needs besides the session state: the node's grants to this session not used yet
/// (by task id; only a granted task is dispatched, on its grant's agent and model), why the node holds back the tasks it
/// did not grant (by task id), the time, which model serves each agent role (for the spacing of tasks not granted yet),
/// how many examples of held-back tasks to keep per reason, and how far past the free slots to look for a task that
/// spacing does not hold back.</summary>
internal sealed record DecisionContext(
    IReadOnlyDictionary<string, DispatchGrant> Grants,
    DateTimeOffset Now,
    IReadOnlyDictionary<string, string>? ModelByRole = null,
    IReadOnlyDictionary<string, string>? Holds = null,
    int ExamplesPerReason = 5,
    int ScanWindow = 64)
{
    internal string ModelOf(string role) => Models.RoleModels.ModelOf(ModelByRole, role);
}
