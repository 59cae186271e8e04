using System.Diagnostics;
using Akka.Actor;
using Orchestrator.Core.Models;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Workers;
using static Orchestrator.Core.Models.ModelMessages;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Engine.Councils;

/// <summary>What a council or group chat node runs with: its attempt (dispatch, plan, rendered prompt), the actor that
/// serves <c>Generate</c>, which model serves each role (the role's own name when absent), generation limits, the
/// clock, the council directory (for councils named by role), the transcript its attempt left before a restart, and
/// the node's live feed, which gets each member's tokens as they are generated.</summary>
internal sealed record DeliberationOrder(
    TaskAssignment Work,
    IActorRef Models,
    IReadOnlyDictionary<string, string>? ModelByRole,
    int MaxTokens,
    SamplingOptions? Sampling,
    Func<DateTimeOffset> Clock,
    IActorRef? Councils = null,
    (CouncilSpec Council, IReadOnlyList<CouncilEntry> Entries)? PriorCouncil = null,
    IReadOnlyList<Orchestrator.Core.GroupChat.ChatEntry>? PriorChat = null,
    LiveFeed<SessionLiveEvent>? Feed = null)
{
    /// <summary>The model that serves <paramref name="agent"/>: its own, or its role's.</summary>
    internal string ModelOf(CouncilMember agent) => agent.Model ?? RoleModels.ModelOf(ModelByRole, agent.Role);
}

/// <summary>Transcript events a council or chat node sends its session to persist (in order, before its report).
/// Never leaves the node: the node is its session's child.</summary>
internal sealed record DeliberationProgress(string TaskId, int Attempt, IReadOnlyList<IPersistedEvent> Events)
    : INoSerializationVerificationNeeded;

/// <summary>The plumbing a council and a group chat share: requests to model actors (one <c>Generate</c> each, with a
/// deadline per request, cancelled when the node stops first), transcript events sent to the session to persist, and
/// the final report (<c>TaskSucceeded</c> or <c>TaskFailed</c>) after which the actor stops. The deliberation itself is
/// Core's pure state machine; subclasses feed it replies.</summary>
internal abstract class DeliberationActor : ReceiveActor, IWithTimers
{
    /// <summary>Time a model gets beyond a request's own deadline before the request counts as timed out.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, (string Key, string Model)> _inFlight = new(StringComparer.Ordinal);
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private long _tokens;
    private bool _reported;

    public ITimerScheduler Timers { get; set; } = null!;

    protected DeliberationActor(DeliberationOrder order)
    {
        Order = order;
        Receive<GenerateResult>(r => Answered(r.RequestId, r.PromptTokens + r.CompletionTokens, r.StopReason switch
        {
            StopReason.Deadline => (null, "its deadline passed while generating"),
            StopReason.Cancelled => (null, "its generation was cancelled"),
            _ => (r.Text, null),
        }));
        Receive<GenerateFailed>(f => Answered(f.RequestId, 0, (null, f.Describe())));
        Receive<Overloaded>(o => Answered(o.RequestId, 0, (null, o.Describe())));
        Receive<TokenChunk>(c =>
        {
            if (Order.Feed is { } feed && _inFlight.TryGetValue(c.RequestId, out var request))
                feed.Publish(new SessionLiveEvent(Dispatch.SessionId, null,
                    new TaskTokens(Dispatch.SessionId, Dispatch.TaskId, Dispatch.Attempt, c.Index, c.Text, request.Key)));
        });
        Receive<RequestDeadline>(d =>
        {
            if (!_inFlight.TryGetValue(d.RequestId, out var request)) return;
            Order.Models.Tell(new CancelGenerate(d.RequestId, request.Model));
            Answered(d.RequestId, 0, (null, $"no reply within {Timeout.TotalSeconds:0.#} s (timed out)"));
        });
    }

    protected DeliberationOrder Order { get; }

    protected TaskDispatched Dispatch => Order.Work.Dispatch;

    /// <summary>The deadline of one request.</summary>
    protected abstract TimeSpan Timeout { get; }

    /// <summary>A request's reply (<paramref name="text"/>) or failure (<paramref name="problem"/>) arrived.</summary>
    protected abstract void OnReply(string key, string? text, string? problem);

    /// <summary>Requests now waiting for a reply, by key.</summary>
    protected bool IsInFlight(string key) => _inFlight.Values.Any(v => v.Key == key);

    /// <summary>Sends one request to the model of <paramref name="agent"/>, with a deadline.</summary>
    protected void Ask(string key, CouncilMember agent, string prompt, string? grammar, string? jsonSchema)
    {
        var model = Order.ModelOf(agent);
        var requestId = $"{Dispatch.SessionId}/{Dispatch.TaskId}/{Dispatch.Attempt}/{key}";
        _inFlight[requestId] = (key, model);
        var sampling = SamplingSeeds.ForAttempt(Order.Sampling, Dispatch.SessionId, $"{Dispatch.TaskId}/{key}", Dispatch.Attempt);
        Order.Models.Tell(new Generate(requestId, model, Prompt: prompt, Sampling: sampling, MaxTokens: Order.MaxTokens,
            Grammar: grammar, JsonSchema: grammar is null ? jsonSchema : null, Timeout: Timeout, Stream: Order.Feed is not null));
        Timers.StartSingleTimer(requestId, new RequestDeadline(requestId), Timeout + Grace);
    }

    /// <summary>Sends transcript events to the session, which persists them in order.</summary>
    protected void Persist(IReadOnlyList<IPersistedEvent> events)
    {
        if (events.Count > 0) Context.Parent.Tell(new DeliberationProgress(Dispatch.TaskId, Dispatch.Attempt, events));
    }

    /// <summary>Reports success with <paramref name="output"/> and stops.</summary>
    protected void Succeed(string output) =>
        Report(new TaskSucceeded(Dispatch.SessionId, Dispatch.TaskId, Dispatch.Attempt, output, _tokens, _elapsed.Elapsed, Order.Clock()));

    /// <summary>Reports failure for <paramref name="reason"/> and stops; the session retries it within the node's retries.</summary>
    protected void Fail(string reason, bool retryable = true) =>
        Report(new TaskFailed(Dispatch.SessionId, Dispatch.TaskId, Dispatch.Attempt, reason, null, retryable, _tokens, Order.Clock()));

    private void Report(IPersistedEvent outcome)
    {
        if (_reported) return;
        _reported = true;
        CancelAll();
        Context.Parent.Tell(new WorkerReport(Dispatch.TaskId, [outcome]));
        Context.Stop(Self);
    }

    private void Answered(string requestId, long tokens, (string? Text, string? Problem) reply)
    {
        if (_reported || !_inFlight.Remove(requestId, out var request)) return; // late: timed out or over already
        Timers.Cancel(requestId);
        _tokens += tokens;
        OnReply(request.Key, reply.Text, reply.Problem);
    }

    private void CancelAll()
    {
        foreach (var (requestId, request) in _inFlight)
            Order.Models.Tell(new CancelGenerate(requestId, request.Model));
        _inFlight.Clear();
    }

    /// <summary>Stopped before it reported (the session was cancelled or passivated): generation in flight stops.</summary>
    protected override void PostStop()
    {
        if (!_reported) CancelAll();
        base.PostStop();
    }

    private sealed record RequestDeadline(string RequestId) : INoSerializationVerificationNeeded;
}
