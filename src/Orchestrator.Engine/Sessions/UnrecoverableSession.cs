using Akka.Actor;
using Orchestrator.Core.Sessions;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Engine.Sessions;

/// <summary>Stands in for a session whose events could not be read back (<see cref="SessionRecoveryFailures"/>): it
/// answers every command and query at once with a refusal naming the reason, persists nothing, and stops when it is time
/// to try the recovery again (the shard starts the session again: remember-entities). Without it, a session that cannot
/// recover would be started, fail and be started again every few seconds, and every query would wait for its timeout.</summary>
public sealed class UnrecoverableSession : ReceiveActor, IWithTimers
{
    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The entity of <paramref name="sessionId"/>: this while its failure is recorded and not yet due for another
    /// try, its <see cref="SessionCoordinator"/> otherwise.</summary>
    public static Props EntityProps(string sessionId, SessionRuntime runtime) =>
        runtime.RecoveryFailures.Current(sessionId, runtime.Now) is { } failure
            ? Props.Create(() => new UnrecoverableSession(sessionId, failure, failure.RetryAt - runtime.Now))
            : SessionCoordinator.Props(sessionId, runtime);

    private readonly TimeSpan _untilRetry;

    /// <summary>Created through <see cref="EntityProps"/>.</summary>
    public UnrecoverableSession(string sessionId, SessionRecoveryFailure failure, TimeSpan untilRetry)
    {
        _untilRetry = untilRetry > TimeSpan.Zero ? untilRetry : TimeSpan.Zero;
        Receive<ISessionMessage>(_ => Sender.Tell(Refusal(sessionId, failure)));
        Receive<TryAgain>(_ => Context.Stop(Self));
    }

    /// <inheritdoc />
    protected override void PreStart() => Timers.StartSingleTimer(nameof(TryAgain), TryAgain.Instance, _untilRetry);

    /// <summary>The refusal every command of a session that cannot be recovered gets.</summary>
    public static SessionRejected Refusal(string sessionId, SessionRecoveryFailure failure) => new(sessionId,
    [
        $"Session '{sessionId}' cannot be recovered from the journal: {failure.Reason} (since {failure.Since:u}). Its events are " +
        $"kept; recovery is tried again from {failure.RetryAt:u}. Check the database the node's journal is on.",
    ]);

    private sealed record TryAgain : INoSerializationVerificationNeeded
    {
        public static readonly TryAgain Instance = new();
    }
}
