using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Sessions;

/// <summary>What a session only publishes, live, and never journals: the text its tasks' models generate as it comes.
/// These cross nodes (to the nodes whose clients follow the session), so each is registered with a manifest.</summary>
public static class SessionLiveMessages
{
    /// <summary>Text a task's model just generated, streamed as it comes; the task's final text is in its outcome
    /// event. In a council or group chat node, <see cref="Member"/> says whose request it is (the transcript key:
    /// <c>round/step/member[/target]</c> or <c>turn/step/speaker</c>); null for a plain task.</summary>
    public sealed record TaskTokens(string SessionId, string TaskId, int Attempt, int Index, string Text, string? Member = null)
        : IClusterMessage;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("task-tokens.v1", typeof(TaskTokens)),
    ];
}
