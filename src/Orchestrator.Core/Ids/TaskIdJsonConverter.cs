namespace Orchestrator.Core.Ids;

/// <summary>A <see cref="TaskId"/> in JSON: its text as a plain string, read back by <see cref="TaskId.TryParse"/>.</summary>
internal sealed class TaskIdJsonConverter : IdJsonConverter<TaskId>
{
    /// <inheritdoc />
    protected override string What => "task id";

    /// <inheritdoc />
    protected override TaskId? Parse(string? text, out string? problem)
    {
        problem = TaskId.Problem(text);
        return TaskId.TryParse(text, out var id) ? id : null;
    }

    /// <inheritdoc />
    protected override string? TextOf(TaskId id) => id.Value;
}
