using System.Diagnostics;
using Akka.Actor;
using Orchestrator.Core.Messaging;
using Orchestrator.Messages;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Engine.Models;

/// <summary>An actor that asks models: each <see cref="Call"/> sends one <see cref="Generate"/> (from this actor, so a
/// model sees its requests in the order asked and answers straight back) under a key; token chunks and the one answer
/// (<see cref="GenerateResult"/>, <see cref="GenerateFailed"/> or <see cref="Overloaded"/>) come to
/// <see cref="OnTokens"/> and <see cref="OnAnswer"/> by key, a call with no answer past its deadline (the request's
/// own timeout, which the model enforces, plus <see cref="Grace"/>) is cancelled at the model and reported to
/// <see cref="OnTimedOut"/>, and the calls still running when the actor stops are cancelled at their models, so the
/// sequences they hold are freed at once. A late answer (after a time-out or a cancel) is ignored.</summary>
internal abstract class ModelCallingActor : ReceiveActor, IWithTimers
{
    /// <summary>Time a model gets beyond a request's own timeout before the call gives up on it.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, (string Key, string Model)> _calls = new(StringComparer.Ordinal);
    private readonly GenerationSpans _spans = new();

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Asks the models served by <paramref name="models"/>; each call's span is a child of
    /// <paramref name="trace"/> (its attempt's span) until <see cref="Trace"/> changes.</summary>
    protected ModelCallingActor(IActorRef models, ActivityContext trace = default)
    {
        Models = models;
        Trace = trace;
        Receive<TokenChunk>(c =>
        {
            if (_calls.TryGetValue(c.RequestId, out var call)) OnTokens(call.Key, c);
        });
        Receive<GenerateResult>(r => Answered(r.RequestId, r));
        Receive<GenerateFailed>(f => Answered(f.RequestId, f));
        Receive<Overloaded>(o => Answered(o.RequestId, o));
        Receive<CallDeadline>(d =>
        {
            if (!_calls.Remove(d.RequestId, out var call)) return;
            _spans.Abandoned(d.RequestId, "timed-out");
            Models.Tell(new CancelGenerate(d.RequestId, call.Model));
            OnTimedOut(call.Key);
        });
    }

    /// <summary>The actor that serves <see cref="Generate"/> for every model.</summary>
    protected IActorRef Models { get; }

    /// <summary>The span the next calls' <c>generation</c> spans are children of (default: none).</summary>
    protected ActivityContext Trace { get; set; }

    /// <summary>Whether a call under <paramref name="key"/> waits for its answer.</summary>
    protected bool IsCalling(string key) => _calls.Values.Any(c => c.Key == key);

    /// <summary>Sends <paramref name="request"/> under <paramref name="key"/> (as <paramref name="agent"/>, when one runs
    /// it); without an answer within <paramref name="within"/> (by default the request's timeout plus
    /// <see cref="Grace"/>) it times out.</summary>
    protected void Call(string key, Generate request, TimeSpan? within = null, string? agent = null)
    {
        var deadline = within ?? request.Timeout + Grace
            ?? throw new ArgumentException($"Request {request.RequestId} has no timeout: a model call needs a deadline.", nameof(request));
        _calls[request.RequestId] = (key, request.Model);
        Models.Tell(_spans.Started(request, Trace, agent), Self);
        Timers.StartSingleTimer(request.RequestId, new CallDeadline(request.RequestId), deadline);
    }

    /// <summary>Cancels every call still waiting, at its model; their answers are ignored.</summary>
    protected void CancelCalls()
    {
        foreach (var (requestId, call) in _calls)
        {
            Timers.Cancel(requestId);
            _spans.Abandoned(requestId, "cancelled");
            Models.Tell(new CancelGenerate(requestId, call.Model));
        }
        _calls.Clear();
    }

    /// <summary>A chunk of the text a call's model is generating.</summary>
    protected virtual void OnTokens(string key, TokenChunk chunk)
    {
    }

    /// <summary>The answer of the call under <paramref name="key"/>: a <see cref="GenerateResult"/>, a
    /// <see cref="GenerateFailed"/> or an <see cref="Overloaded"/>.</summary>
    protected abstract void OnAnswer(string key, IClusterMessage answer);

    /// <summary>The call under <paramref name="key"/> had no answer in time; its model was told to stop.</summary>
    protected abstract void OnTimedOut(string key);

    /// <summary>Stopped while calls wait (its session was cancelled, passivated or stopped): their models stop.</summary>
    protected override void PostStop()
    {
        CancelCalls();
        base.PostStop();
    }

    private void Answered(string requestId, IClusterMessage answer)
    {
        if (!_calls.Remove(requestId, out var call)) return; // late: timed out or cancelled already
        Timers.Cancel(requestId);
        _spans.Answered(requestId, answer);
        OnAnswer(call.Key, answer);
    }

    private sealed record CallDeadline(string RequestId) : INoSerializationVerificationNeeded;
}
