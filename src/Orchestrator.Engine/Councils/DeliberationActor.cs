using System.Diagnostics;
using Akka.Actor;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Models;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Models;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Workers;
using static Orchestrator.Core.Models.ModelMessages;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Sessions.SessionLiveMessages;

namespace Orchestrator.Engine.Councils;

/// <summary>What a council or group chat node runs with: its attempt (dispatch, plan, rendered prompt), the actor that
/// serves <c>Generate</c>, which model serves each role (the role's own name when absent), generation limits, the
/// clock, the council directory (for councils named by role), the transcript its attempt left before a restart, and
/// the node's live feed, which gets each member's tokens as they are generated (and the session's cluster topics, which
/// take them to followers on other nodes).</summary>
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
    LiveFeed<SessionLiveEvent>? Feed = null,
    SessionTokenTopics? Topics = null)
{
    /// <summary>The model that serves <paramref name="agent"/>: its own, or its role's.</summary>
    internal string ModelOf(CouncilMember agent) => agent.Model ?? RoleModels.ModelOf(ModelByRole, agent.Role);
}

/// <summary>Transcript events a council or chat node sends its session to persist (in order, before its report).
/// Never leaves the node: the node is its session's child.</summary>
internal sealed record DeliberationProgress(string TaskId, int Attempt, IReadOnlyList<IPersistedEvent> Events)
    : INoSerializationVerificationNeeded;

/// <summary>The plumbing a council and a group chat share: requests to model actors (one <c>Generate</c> each, with a
/// deadline per request, cancelled when the node stops first: <see cref="ModelCallingActor"/>), transcript events sent
/// to the session to persist, and the final report (<c>TaskSucceeded</c> or <c>TaskFailed</c>) after which the actor stops. The deliberation itself is
/// Core's pure state machine; subclasses feed it replies.</summary>
internal abstract class DeliberationActor : ModelCallingActor
{
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private long _tokens;
    private bool _reported;

    protected DeliberationActor(DeliberationOrder order) : base(order.Models) => Order = order;

    protected DeliberationOrder Order { get; }

    protected TaskDispatched Dispatch => Order.Work.Dispatch;

    /// <summary>The deadline of one request.</summary>
    protected abstract TimeSpan Timeout { get; }

    /// <summary>A request's reply (<paramref name="text"/>) or failure (<paramref name="problem"/>) arrived.</summary>
    protected abstract void OnReply(string key, string? text, string? problem);

    /// <summary>Requests now waiting for a reply, by key.</summary>
    protected bool IsInFlight(string key) => IsCalling(key);

    /// <summary>Sends one request to the model of <paramref name="agent"/>, with a deadline.</summary>
    protected void Ask(string key, CouncilMember agent, string prompt, string? grammar, string? jsonSchema)
    {
        var model = Order.ModelOf(agent);
        var requestId = Order.Work.Attempt.Part(key);
        var sampling = SamplingSeeds.ForAttempt(Order.Sampling, Dispatch.SessionId, $"{Dispatch.TaskId}/{key}", Dispatch.Attempt);
        Call(key, new Generate(requestId, model, Prompt: prompt, Sampling: sampling, MaxTokens: Order.MaxTokens,
            Grammar: grammar, JsonSchema: grammar is null ? jsonSchema : null, Timeout: Timeout, Stream: Order.Feed is not null));
    }

    /// <inheritdoc />
    protected override void OnTokens(string key, TokenChunk c)
    {
        if (Order.Feed is not { } feed) return;
        var tokens = new TaskTokens(Dispatch.SessionId, Dispatch.TaskId, Dispatch.Attempt, c.Index, c.Text, key);
        feed.Publish(new SessionLiveEvent(Dispatch.SessionId, null, tokens));
        Order.Topics?.Publish(tokens, Self);
    }

    /// <inheritdoc />
    protected override void OnAnswer(string key, IClusterMessage answer)
    {
        (long Tokens, string? Text, string? Problem) reply = answer switch
        {
            GenerateResult { StopReason: StopReason.Deadline } r => (r.PromptTokens + r.CompletionTokens, null, "its deadline passed while generating"),
            GenerateResult { StopReason: StopReason.Cancelled } r => (r.PromptTokens + r.CompletionTokens, null, "its generation was cancelled"),
            GenerateResult r => (r.PromptTokens + r.CompletionTokens, r.Text, null),
            GenerateFailed f => (0, null, f.Describe()),
            Overloaded o => (0, null, o.Describe()),
            _ => throw new ArgumentException($"{answer.GetType().Name} is not a model's answer", nameof(answer)),
        };
        if (_reported) return; // over already
        _tokens += reply.Tokens;
        OnReply(key, reply.Text, reply.Problem);
    }

    /// <inheritdoc />
    protected override void OnTimedOut(string key)
    {
        if (!_reported) OnReply(key, null, $"no reply within {Timeout.TotalSeconds:0.#} s (timed out)");
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
        CancelCalls();
        Context.Parent.Tell(new WorkerReport(Dispatch.TaskId, [outcome]));
        Context.Stop(Self);
    }
}
