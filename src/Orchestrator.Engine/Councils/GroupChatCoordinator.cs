using Akka.Actor;
using Orchestrator.Core.GroupChat;
using static Orchestrator.Core.GroupChat.GroupChatEvents;

namespace Orchestrator.Engine.Councils;

/// <summary>Runs one attempt of a group chat node, as a child of its session (<c>chat-&lt;task&gt;-&lt;attempt&gt;</c>):
/// drives Core's <see cref="GroupChatConversation"/> one request at a time (choose the speaker, speak, judge,
/// summarize; each as the agent the node's decision engine grants a participant that names only a role), sends each transcript entry to the session to persist and stream, and reports the transcript as the
/// task's output. Restarted with its attempt's transcript, it goes on from where it was.</summary>
internal sealed class GroupChatCoordinator : DeliberationActor
{
    private GroupChatConversation _chat;
    private ChatRequest? _asked;

    public static Props Props(DeliberationOrder order) => Akka.Actor.Props.Create(() => new GroupChatCoordinator(order));

    public GroupChatCoordinator(DeliberationOrder order) : base(order)
    {
        _chat = GroupChatConversation.Replay(order.Work.Task.Chat!, order.Work.Prompt, order.PriorChat ?? []);
    }

    protected override TimeSpan Timeout => _chat.Spec.MemberTimeout ?? Order.Work.Task.Timeout;

    protected override void PreStart() => Run();

    protected override bool OnReply(string key, string? agent, string? text, string? problem)
    {
        if (_asked is not { } request || request.Key != key) return false;
        _asked = null;
        var entry = text is null ? GroupChatConversation.Failure(request, problem!) : _chat.Read(request, text);
        Record(entry);
        Run();
        return entry.Kind != ChatEntryKind.ParticipantFailed;
    }

    private void Record(ChatEntry entry)
    {
        _chat = _chat.Apply(entry);
        Persist([new ChatEntryRecorded(Dispatch.SessionId, Dispatch.TaskId, Dispatch.Attempt, entry, Order.Clock())]);
    }

    private void Run()
    {
        while (true)
        {
            switch (_chat.Next())
            {
                case ChatAction.Record r:
                    Record(r.Entry);
                    continue;
                case ChatAction.Ask a:
                    _asked = a.Request;
                    Ask(a.Request.Key, a.Request.Agent, a.Request.Prompt, null, a.Request.JsonSchema);
                    return;
                case ChatAction.Finished f:
                    if (f.Outcome.Succeeded) Succeed(f.Outcome.Transcript);
                    else Fail($"the group chat failed: {f.Outcome.Reason}");
                    return;
            }
        }
    }
}
