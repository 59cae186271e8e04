using Orchestrator.Core.Ids;

namespace Orchestrator.Core.Protocol;

/// <summary>What an id a planner proposes in a task list may be: 1 to <see cref="MaxLength"/> letters, digits, '_' or
/// '-', starting with a letter or digit. The parser's check and the grammar's rule both come from here, so a
/// grammar-held model can only propose ids the session accepts.</summary>
internal static class ProposedTaskId
{
    internal const int MaxLength = TaskId.ProposedMaxLength;

    /// <summary>Null when <paramref name="id"/> is valid, otherwise why it is not.</summary>
    internal static string? Problem(string id) =>
        TaskId.IsProposedId(id) ? null : $"task id '{id}' must be 1 to {MaxLength} letters, digits, '_' or '-', starting with a letter or digit";

    /// <summary>The GBNF body of a quoted proposed id.</summary>
    internal static string Gbnf => $"\"\\\"\" [a-zA-Z0-9] [a-zA-Z0-9_-]{{0,{MaxLength - 1}}} \"\\\"\"";
}
