using System.Collections.Immutable;
using Orchestrator.Core.Context;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Sessions;

/// <summary>The conversation of a session's plain tasks, as a pure fold over its events kept beside
/// <see cref="SessionState"/>: with <c>share-history = on</c> each success adds a turn (speaker: the task and its role,
/// text: its output) and <see cref="ContextSummarized"/> folds the oldest turns into a summary. Snapshots carry it as
/// it is. <see cref="Compose"/> builds a task's prompt with it under the session's context settings.</summary>
public sealed record SessionConversation(bool Enabled, string? Summary, ImmutableList<ContextTurn> Turns)
{
    private const string Header = "Conversation so far:\n";

    /// <summary>A session's conversation before any event.</summary>
    public static SessionConversation Empty { get; } = new(false, null, []);

    /// <summary>The conversation after <paramref name="e"/>; <paramref name="tasks"/> (the session's tasks, after the
    /// event) give the role of the task that spoke.</summary>
    public SessionConversation Apply(IPersistedEvent e, IReadOnlyDictionary<TaskId, TaskState> tasks) => e switch
    {
        SessionCreated c => this with { Enabled = c.Workflow.Settings.Context?.ShareHistory == true },
        TaskSucceeded s when Enabled => this with { Turns = Turns.Add(new ContextTurn(SpeakerOf(s.TaskId, tasks), s.Output)) },
        ContextSummarized z => this with
        {
            Summary = z.Summary.Trim(),
            Turns = Turns.RemoveRange(0, Math.Clamp(z.TurnsFolded, 0, Turns.Count)),
        },
        _ => this,
    };

    /// <summary>This conversation under <paramref name="settings"/>, for its size, what to summarize and rendering.</summary>
    public SessionContext In(ContextSettings settings) => new(settings, Summary, Turns);

    /// <summary>The prompt a task gets: with no context settings, <paramref name="taskPrompt"/> as it is; otherwise the
    /// task's prompt, the output language line when one is set, and (history shared) the conversation so far, its
    /// oldest turns giving way first, the whole never longer than <c>max-chars</c>.</summary>
    public string Compose(string taskPrompt, SessionContextSettings? settings)
    {
        if (settings is null) return taskPrompt;
        var context = In(settings.Limits);
        if (!settings.ShareHistory || (Summary is null && Turns.IsEmpty)) return context.Compose(taskPrompt, "");
        var head = taskPrompt.Length + (context.LanguageLine is { } line ? line.Length + 1 : 0);
        var budget = settings.Limits.MaxChars - head - 1 - Header.Length;
        return budget <= 0 ? context.Compose(taskPrompt, "") : context.Compose(taskPrompt, Header + context.Render(budget));
    }

    private static string SpeakerOf(TaskId taskId, IReadOnlyDictionary<TaskId, TaskState> tasks) =>
        tasks.TryGetValue(taskId, out var task) && !string.IsNullOrEmpty(task.Spec.AgentRole) ? $"{taskId} ({task.Spec.AgentRole})" : taskId.Value;
}
