using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.GroupChat;

/// <summary>The events a group chat node adds to its session's journal: each transcript entry as it happens.</summary>
public static class GroupChatEvents
{
    /// <summary>One entry of the chat of attempt <see cref="Attempt"/> of task <see cref="TaskId"/>.</summary>
    public sealed record ChatEntryRecorded(SessionId SessionId, TaskId TaskId, int Attempt, ChatEntry Entry, DateTimeOffset At) : IPersistedEvent;

    internal static IEnumerable<MessageManifest> Manifests => [new("chat-entry-recorded.v1", typeof(ChatEntryRecorded))];
}
