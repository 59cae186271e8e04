using Akka.Actor;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;
using static Orchestrator.Messages.Sessions.SessionSubscriptions;

namespace Orchestrator.Samples.ClusterMember;

/// <summary>Starts a session (or only follows one), subscribes to it, prints each notice as a line, and completes
/// <c>exit</c> with the process's exit code: 0 once the session ended, 1 when it was refused or not found.</summary>
public sealed class SessionFollower : ReceiveActor, IWithTimers
{
    private readonly Action _begin;
    private bool _subscribed;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="send">Sends a session message to the cluster: to a region proxy, or wrapped for a ClusterClient.</param>
    /// <param name="sessionId">The session to follow.</param>
    /// <param name="start">The start to send first; null to follow a session that already exists.</param>
    /// <param name="resubscribeEvery">How often to subscribe again (through a ClusterClient, whose reply tunnel ends
    /// after a quiet while); null to rely on watching the session.</param>
    /// <param name="exit">Completed with the exit code.</param>
    public SessionFollower(Action<ISessionMessage, IActorRef> send, string sessionId, StartSession? start,
        TimeSpan? resubscribeEvery, TaskCompletionSource<int> exit)
    {
        void Subscribe() => send(new SubscribeToSession(sessionId), Self);

        void Finish(int code, params IEnumerable<string> lines)
        {
            foreach (var line in lines) Console.WriteLine(line);
            exit.TrySetResult(code);
            Context.Stop(Self);
        }

        Receive<SessionStarted>(_ => Subscribe());
        Receive<SessionSubscribed>(s =>
        {
            if (!_subscribed)
            {
                Console.WriteLine($"subscribed {s.SessionId} {s.Detail.Status.Lifecycle.ToString().ToLowerInvariant()}");
                foreach (var task in s.Detail.Tasks) Print(task);
            }
            _subscribed = true;
            // The session itself answers: when it stops (its node left the cluster), subscribe again where it runs next.
            if (!Sender.IsNobody()) Context.Watch(Sender);
        });
        Receive<TaskChanged>(c => Print(c.Task));
        Receive<SessionEnded>(e => Finish(0, [
            $"ended {e.Detail.Status.Lifecycle.ToString().ToLowerInvariant()}",
            .. e.Detail.Tasks.Select(t => $"output {t.Id}: {t.Output?.ReplaceLineEndings(" ")}")]));
        Receive<Terminated>(_ => Subscribe());
        Receive<Resubscribe>(_ => Subscribe());
        Receive<SessionRejected>(r => Finish(1, $"rejected: {string.Join("; ", r.Problems)}"));
        Receive<SessionNotFound>(n => Finish(1, $"not found: {n.SessionId}"));
        Receive<GatewayRefused>(r => Finish(1, $"refused: {r.Problem}"));

        _begin = () =>
        {
            if (resubscribeEvery is { } every) Timers.StartPeriodicTimer(nameof(Resubscribe), Resubscribe.Instance, every);
            if (start is null) Subscribe();
            else send(start, Self);
        };
    }

    protected override void PreStart() => _begin();

    private static void Print(TaskView task) => Console.WriteLine($"task {task.Id} {task.State.ToString().ToLowerInvariant()}");

    private sealed record Resubscribe
    {
        public static readonly Resubscribe Instance = new();
    }
}
