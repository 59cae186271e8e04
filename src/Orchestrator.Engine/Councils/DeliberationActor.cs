using System.Diagnostics;
using Akka.Actor;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Decisions;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Models;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Models;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Workers;
using Orchestrator.Messages;
using static Orchestrator.Core.Models.ModelMessages;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Sessions.SessionLiveMessages;
using static Orchestrator.Engine.Decisions.DispatchMessages;

namespace Orchestrator.Engine.Councils;

/// <summary>What a council or group chat node runs with: its attempt (dispatch, plan, rendered prompt), the actor that
/// serves <c>Generate</c>, which model serves each role (the role's own name when absent), generation limits, the
/// clock, the council directory (for councils named by role), the transcript its attempt left before a restart, the
/// node's live feed, which gets each member's tokens as they are generated (and the session's cluster topics, which
/// take them to followers on other nodes), the node's decision engine, which picks the agent of each member that names
/// only a role (none: such a member runs on its role's model), and the agent registry, told each such request's outcome
/// under its agent's name.</summary>
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
    SessionTokenTopics? Topics = null,
    IActorRef? Decisions = null,
    IActorRef? Agents = null,
    ActivityContext Trace = default)
{
    /// <summary>The model that serves <paramref name="agent"/>: its own, or its role's.</summary>
    internal string ModelOf(CouncilMember agent) => agent.Model ?? RoleModels.ModelOf(ModelByRole, agent.Role);
}

/// <summary>Transcript events a council or chat node sends its session to persist (in order, before its report).
/// Never leaves the node: the node is its session's child.</summary>
internal sealed record DeliberationProgress(TaskId TaskId, int Attempt, IReadOnlyList<IPersistedEvent> Events)
    : INoSerializationVerificationNeeded;

/// <summary>The plumbing a council and a group chat share: requests to model actors (one <c>Generate</c> each, with a
/// deadline per request, cancelled when the node stops first: <see cref="ModelCallingActor"/>), transcript events sent
/// to the session to persist, and the final report (<c>TaskSucceeded</c> or <c>TaskFailed</c>) after which the actor stops. The deliberation itself is
/// Core's pure state machine; subclasses feed it replies.
/// A request of a member that names only a role first gets its agent from the node's decision engine
/// (<see cref="RequestMemberDispatch"/>, by the same rule as a session's task: Core's <see cref="MemberDispatches"/>
/// tracks them), runs on that agent's model, gives the grant back when its generation is over (a reply, a failure, a
/// time-out; the engine frees the rest when this actor stops) and tells the registry its outcome under the agent's name.
/// A request the engine refuses fails the node with the reason; one that finds no free agent within its deadline fails
/// as a time-out would. A member that names its model keeps it.</summary>
internal abstract class DeliberationActor : ModelCallingActor
{
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private long _tokens;
    private bool _reported;

    private readonly MemberDispatches? _members;
    private readonly Dictionary<string, WaitingRequest> _waiting = new(StringComparer.Ordinal);
    private bool _askPending;

    protected DeliberationActor(DeliberationOrder order) : base(order.Models, order.Trace)
    {
        Order = order;
        if (order.Decisions is not null)
            _members = new MemberDispatches(order.Work.Attempt.ToString(), order.Work.Dispatch.Attempt, order.Work.Task.KindOrId, order.Work.Task.Priority);
        Receive<DispatchAnswered>(a => OnGrants(a.Answer));
        Receive<AgentWaitOver>(w => OnAgentWaitOver(w.Key));
        Receive<AskForAgents>(_ => AskEngine());
    }

    protected DeliberationOrder Order { get; }

    protected TaskDispatched Dispatch => Order.Work.Dispatch;

    /// <summary>The deadline of one request.</summary>
    protected abstract TimeSpan Timeout { get; }

    /// <summary>A request's reply (<paramref name="text"/>) or failure (<paramref name="problem"/>) arrived, from
    /// <paramref name="agent"/> (null: no registered agent, the role's or member's own model); true when the reply was
    /// read into the member's answer (what the agent is credited with), false when it failed or was not awaited.</summary>
    protected abstract bool OnReply(string key, string? agent, string? text, string? problem);

    /// <summary>Tells the agent registry what a member's work taught (a quality score).</summary>
    protected void Learn(IClusterMessage message) => Order.Agents?.Tell(message, ActorRefs.NoSender);

    /// <summary>Requests now waiting for a reply, by key.</summary>
    protected bool IsInFlight(string key) => IsCalling(key);

    /// <summary>Sends one request to the model of <paramref name="agent"/>, with a deadline: a member that names only a
    /// role first waits for the decision engine to grant it an agent, at most as long as the request's deadline.</summary>
    protected void Ask(string key, CouncilMember agent, string prompt, string? grammar, string? jsonSchema)
    {
        if (agent.Model is not null || _members is null)
        {
            Generate(key, Order.ModelOf(agent), null, prompt, grammar, jsonSchema);
            return;
        }
        if (!_members.Want(key, agent.Role)) return;
        _waiting[key] = new WaitingRequest(agent, prompt, grammar, jsonSchema);
        Timers.StartSingleTimer($"agent-wait/{key}", new AgentWaitOver(key), Timeout);
        // The requests of one step are asked for together: once this message is handled, not once per request.
        if (_askPending) return;
        _askPending = true;
        Self.Tell(AskForAgents.Instance);
    }

    /// <summary>Tells the engine every request that waits for an agent (it replaces what was asked before, so a repeat
    /// changes nothing), and again every <see cref="AskAgainEvery"/> while any waits: a request or an answer lost with a
    /// restarted engine does not leave a member waiting until its deadline for a grant nobody will give (as a session
    /// asks for its tasks).</summary>
    private void AskEngine()
    {
        _askPending = false;
        if (_reported) return;
        var wanted = _members!.Wanted;
        Order.Decisions!.Tell(new RequestMemberDispatch(_members.HolderId, wanted));
        if (wanted.Count == 0) Timers.Cancel(nameof(AskForAgents));
        else if (!Timers.IsTimerActive(nameof(AskForAgents)))
            Timers.StartPeriodicTimer(nameof(AskForAgents), AskForAgents.Instance, AskAgainEvery);
    }

    private void Generate(string key, string model, string? agent, string prompt, string? grammar, string? jsonSchema)
    {
        var requestId = Order.Work.Attempt.Part(key);
        var sampling = SamplingSeeds.ForAttempt(Order.Sampling, Dispatch.SessionId.Value, $"{Dispatch.TaskId}/{key}", Dispatch.Attempt);
        Call(key, new Generate(requestId, model, Prompt: prompt, Sampling: sampling, MaxTokens: Order.MaxTokens,
            Grammar: grammar, JsonSchema: grammar is null ? jsonSchema : null, Timeout: Timeout, Stream: Order.Feed is not null), agent: agent);
    }

    /// <summary>The engine's answer: granted requests start on their agent's model, grants no request waits for go back;
    /// a refused request fails the node (nothing here can run that member).</summary>
    private void OnGrants(DispatchAnswer answer)
    {
        if (_members is null || _reported) return;
        var (start, unused, refused) = _members.Take(answer, Order.Clock());
        foreach (var grant in unused) Order.Decisions!.Tell(new ReleaseDispatch(_members.HolderId, grant.TaskId, grant.Attempt));
        foreach (var grant in start)
        {
            Timers.Cancel($"agent-wait/{grant.TaskId}");
            if (!_waiting.Remove(grant.TaskId, out var w)) continue;
            Generate(grant.TaskId, grant.Model, grant.Agent, w.Prompt, w.Grammar, w.JsonSchema);
        }
        if (refused is not null && _waiting.Remove(refused.TaskId, out var member))
            Fail($"member '{member.Member.Name}' (role '{member.Member.Role}') cannot run: {refused.Reason}", retryable: false);
    }

    /// <summary>No agent was granted to a request within its deadline: it fails as a time-out does.</summary>
    private void OnAgentWaitOver(string key)
    {
        if (_members is null || _reported || !_waiting.Remove(key, out var w)) return;
        var why = _members.WhyWaiting(key) ?? HeldBackReasons.AgentBusy;
        if (!_members.Withdraw(key)) return;
        AskEngine();
        OnReply(key, null, null, $"no agent of role '{w.Member.Role}' was granted within {Timeout.TotalSeconds:0.#} s ({why}; timed out)");
    }

    /// <summary>A request's generation is over: its grant goes back to the engine at once, and once the reply is read
    /// the registry learns the outcome under the agent's name.</summary>
    private void Settle(string key, long tokens, string? text, string? problem)
    {
        var finished = _members?.Finish(key, Order.Clock());
        if (finished is { } f) Order.Decisions!.Tell(new ReleaseDispatch(_members!.HolderId, key, f.Grant.Attempt));
        var read = OnReply(key, finished?.Grant.Agent, text, problem);
        if (finished is { } done && _members!.Outcome(done.Grant, done.Took, Order.Work.Attempt.Part(key), read, tokens, Order.Clock()) is { } outcome)
            Learn(outcome);
    }

    /// <inheritdoc />
    protected override void OnTokens(string key, TokenChunk c)
    {
        if (Order.Feed is not { } feed) return;
        var tokens = new TaskTokens(Dispatch.SessionId.Value, Dispatch.TaskId.Value, Dispatch.Attempt, c.Index, c.Text, key);
        feed.Publish(new SessionLiveEvent(Dispatch.SessionId.Value, null, tokens));
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
        Settle(key, reply.Tokens, reply.Text, reply.Problem);
    }

    /// <inheritdoc />
    protected override void OnTimedOut(string key)
    {
        if (!_reported) Settle(key, 0, null, $"no reply within {Timeout.TotalSeconds:0.#} s (timed out)");
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

    /// <summary>A member's request waiting for the decision engine to grant it an agent.</summary>
    private sealed record WaitingRequest(CouncilMember Member, string Prompt, string? Grammar, string? JsonSchema);

    /// <summary>A member's request has waited for an agent as long as its deadline allows.</summary>
    private sealed record AgentWaitOver(string Key) : INoSerializationVerificationNeeded;

    /// <summary>Ask the engine for the agents of the requests that wait.</summary>
    private sealed record AskForAgents : INoSerializationVerificationNeeded
    {
        public static readonly AskForAgents Instance = new();
    }
}
