using Orchestrator.Core.Ids;
using Orchestrator.Core.Workflows;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Sessions;

/// <summary>One attempt of one task as its worker runs it: the persisted dispatch, the task's plan (which says how its
/// reply is read), the prompt rendered for it, what its reply is held to, and the session's hard limit on a prompt
/// (null when it sets none), which lessons appended to it respect.</summary>
public sealed record TaskAssignment(TaskDispatched Dispatch, PlannedTask Task, string Prompt, ReplyConstraint Constraint,
    int? MaxPromptChars = null)
{
    /// <summary>The attempt this is; as text, the id of the model request it makes.</summary>
    public AttemptId Attempt => AttemptId.Of(Dispatch.SessionId, Dispatch.TaskId, Dispatch.Attempt);

    /// <summary>The assignment of <paramref name="dispatch"/> in <paramref name="state"/> (a state that holds it): the
    /// task's prompt with the session's inputs, the outputs of its dependencies and its critique; a plain task's also
    /// with the conversation so far, the output language and the hard limit (a council or chat composes its own).</summary>
    public static TaskAssignment For(SessionState state, TaskDispatched dispatch)
    {
        var task = state.Tasks[dispatch.TaskId];
        var spec = task.Spec;
        var prompt = Render(state, task);
        if (spec.Council is null && spec.Chat is null)
            prompt = state.Conversation.Compose(prompt, state.Settings.Context);
        return new TaskAssignment(dispatch, spec, prompt, ReplyConstraint.For(spec), state.Settings.Context?.Limits.MaxChars);
    }

    /// <summary>The prompt of <paramref name="task"/> (or a human node's question) with the session's inputs, the
    /// outputs of its dependencies and its critique.</summary>
    internal static string Render(SessionState state, TaskState task)
    {
        var spec = task.Spec;
        var outputs = spec.DependsOn.ToDictionary(dep => dep, dep => state.Tasks.TryGetValue(TaskId.Parse(dep), out var t) ? t.Output ?? "" : "",
            StringComparer.Ordinal);
        return PromptRenderer.Render(spec.Prompt, state.SessionId, spec.Id.Value, state.Iteration, outputs, task.Critique,
            inputs: state.Inputs);
    }
}
