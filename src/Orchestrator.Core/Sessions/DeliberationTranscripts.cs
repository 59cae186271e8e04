using System.Collections.Immutable;
using Orchestrator.Core.Councils;
using Orchestrator.Core.GroupChat;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using static Orchestrator.Core.Councils.CouncilEvents;
using static Orchestrator.Core.GroupChat.GroupChatEvents;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Sessions;

/// <summary>The transcripts of a session's council and group chat nodes still running, as a fold over the session's
/// events beside <c>SessionState</c>: a council's from its <see cref="CouncilConvened"/> on, a chat's entries. A task's
/// transcript is let go when the task succeeds or fails (the journal keeps it) and when a new iteration starts, so a
/// node restarted after a crash gets exactly the transcript of its unfinished attempt.</summary>
public sealed record DeliberationTranscripts(
    ImmutableDictionary<TaskId, CouncilSpec> Councils,
    ImmutableDictionary<TaskId, ImmutableList<CouncilEntry>> CouncilEntries,
    ImmutableDictionary<TaskId, ImmutableList<ChatEntry>> ChatEntries)
{
    /// <summary>No transcript.</summary>
    public static DeliberationTranscripts Empty { get; } = new(
        ImmutableDictionary<TaskId, CouncilSpec>.Empty,
        ImmutableDictionary<TaskId, ImmutableList<CouncilEntry>>.Empty,
        ImmutableDictionary<TaskId, ImmutableList<ChatEntry>>.Empty);

    /// <summary>Whether no node is deliberating.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => Councils.IsEmpty && ChatEntries.IsEmpty;

    /// <summary>The transcripts after <paramref name="e"/>; other events leave them as they are.</summary>
    public DeliberationTranscripts Apply(IPersistedEvent e) => e switch
    {
        CouncilConvened c => this with
        {
            Councils = Councils.SetItem(c.TaskId, c.Council),
            CouncilEntries = CouncilEntries.SetItem(c.TaskId, []),
        },
        CouncilEntryRecorded r when CouncilEntries.TryGetValue(r.TaskId, out var entries) =>
            this with { CouncilEntries = CouncilEntries.SetItem(r.TaskId, entries.Add(r.Entry)) },
        ChatEntryRecorded r => this with
        {
            ChatEntries = ChatEntries.SetItem(r.TaskId, ChatEntries.GetValueOrDefault(r.TaskId, []).Add(r.Entry)),
        },
        TaskSucceeded s => Forget(s.TaskId),
        TaskFailed f => Forget(f.TaskId),
        IterationStarted => Empty,
        _ => this,
    };

    /// <summary>The council a task convened and its entries so far, or null when it has not convened one.</summary>
    public (CouncilSpec Council, IReadOnlyList<CouncilEntry> Entries)? CouncilOf(TaskId taskId) =>
        Councils.TryGetValue(taskId, out var council) ? (council, CouncilEntries[taskId]) : null;

    /// <summary>A chat's entries so far (none when it has not started).</summary>
    public IReadOnlyList<ChatEntry> ChatOf(TaskId taskId) => ChatEntries.GetValueOrDefault(taskId, []);

    private DeliberationTranscripts Forget(TaskId taskId) =>
        Councils.ContainsKey(taskId) || ChatEntries.ContainsKey(taskId)
            ? this with { Councils = Councils.Remove(taskId), CouncilEntries = CouncilEntries.Remove(taskId), ChatEntries = ChatEntries.Remove(taskId) }
            : this;
}
