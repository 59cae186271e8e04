using Akka.Actor;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Workers;
using Orchestrator.Messages;
using static Orchestrator.Core.Agents.AgentCommands;
using static Orchestrator.Core.Councils.CouncilDirectoryCommands;
using static Orchestrator.Core.Councils.CouncilDirectoryReplies;
using static Orchestrator.Core.Councils.CouncilEvents;

namespace Orchestrator.Engine.Councils;

/// <summary>Runs one attempt of a council node, as a child of its session (<c>council-&lt;task&gt;-&lt;attempt&gt;</c>):
/// convenes the council (inline, or the directory's council of the node's role), then drives Core's
/// <see cref="CouncilDeliberation"/>: generate in parallel, critique, revise, select. Each request of a member that
/// names only a role runs as the agent the node's decision engine grants it (the model of its role when no agent has
/// it), and a peer's score of an answer is learned as that agent's quality; a member that names its model runs there; each transcript entry goes to the session, which persists and streams it; the winner's answer
/// is the task's output. A member that fails or times out is dropped and recorded; fewer than two answers fail the
/// task with the transcript kept. Restarted with its attempt's transcript, it goes on from where it was.</summary>
internal sealed class CouncilCoordinator : DeliberationActor
{
    private static readonly TimeSpan DirectoryTimeout = TimeSpan.FromSeconds(10);

    private CouncilDeliberation? _council;
    private readonly Dictionary<string, CouncilRequest> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _answeredBy = new(StringComparer.Ordinal);
    private readonly CouncilRoundSpans _rounds;

    public static Props Props(DeliberationOrder order) => Akka.Actor.Props.Create(() => new CouncilCoordinator(order));

    public CouncilCoordinator(DeliberationOrder order) : base(order)
    {
        _rounds = new CouncilRoundSpans(order.Work.Dispatch, order.Trace);
        Receive<CouncilFound>(f => Convene(f.Council.Council, persist: true));
        Receive<CouncilNotFound>(n => Fail($"no council of role '{n.Role}' is in the council directory: create it first", retryable: false));
        Receive<Status.Failure>(f => Fail($"the council directory did not answer: {f.Cause.Message}"));
    }

    protected override TimeSpan Timeout => _council?.Spec.MemberTimeout ?? Order.Work.Task.Timeout;

    protected override void PreStart()
    {
        var spec = Order.Work.Task.Council!;
        if (Order.PriorCouncil is { } prior)
        {
            _council = CouncilDeliberation.Replay(prior.Council, Order.Work.Prompt, prior.Entries);
            Run();
        }
        else if (spec.IsReference)
        {
            if (Order.Councils is null) Fail($"node '{Dispatch.TaskId}' names the council of role '{spec.Role}', but this node has no council directory", retryable: false);
            else Order.Councils.Ask<IClusterMessage>(new GetCouncil(spec.Role!), DirectoryTimeout).PipeTo(Self);
        }
        else
        {
            Convene(spec, persist: true);
        }
    }

    private void Convene(CouncilSpec spec, bool persist)
    {
        _council = CouncilDeliberation.Start(spec, Order.Work.Prompt);
        if (persist) Persist([new CouncilConvened(Dispatch.SessionId, Dispatch.TaskId, Dispatch.Attempt, spec, Order.Clock())]);
        Run();
    }

    protected override bool OnReply(string key, string? agent, string? text, string? problem)
    {
        if (_council is null || !_requests.Remove(key, out var request)) return false;
        var entry = text is null
            ? CouncilReplyReader.Failure(request, problem!)
            : CouncilReplyReader.Read(request, text, TaskReplies.KindOf(Order.Work.Task), Order.Work.Task.OutputSchema, _council.Active);
        LearnQuality(entry, agent);
        Record([entry]);
        return entry.Kind != CouncilEntryKind.MemberFailed;
    }

    /// <summary>Who wrote each member's latest answer, and the peers' scores of it: a critique's score is the quality the
    /// registry learns for the agent that wrote the answer it judged (at the task's kind).</summary>
    private void LearnQuality(CouncilEntry entry, string? agent)
    {
        if (entry.Kind == CouncilEntryKind.Answer)
        {
            if (agent is null) _answeredBy.Remove(entry.Member);
            else _answeredBy[entry.Member] = agent;
        }
        else if (entry is { Kind: CouncilEntryKind.Critique, Target: { } target, Score: { } score } && _answeredBy.TryGetValue(target, out var author))
        {
            Learn(new RecordQuality(author, Order.Work.Task.KindOrId, score, Order.Clock()));
        }
    }

    private void Record(List<CouncilEntry> entries)
    {
        foreach (var e in entries) _council = _council!.Apply(e);
        Persist(entries.ConvertAll(e => (IPersistedEvent)new CouncilEntryRecorded(Dispatch.SessionId, Dispatch.TaskId, Dispatch.Attempt, e, Order.Clock())));
        Run();
    }

    /// <summary>Does what the deliberation says until it waits for replies or is over.</summary>
    private void Run()
    {
        var decided = new List<CouncilEntry>();
        while (true)
        {
            switch (_council!.Next())
            {
                case CouncilAction.Record r:
                    decided.Add(r.Entry);
                    _council = _council.Apply(r.Entry);
                    continue;
                case CouncilAction.Ask ask:
                    Flush(decided);
                    Trace = _rounds.At(_council.Round, _council.Step);
                    foreach (var request in ask.Requests.Where(r => !_requests.ContainsKey(r.Key)))
                    {
                        _requests[request.Key] = request;
                        var (grammar, schema) = request.JsonSchema is { } s ? (null, s) : (Order.Work.Constraint.Grammar, Order.Work.Constraint.JsonSchema);
                        Ask(request.Key, request.Agent, request.Prompt, grammar, schema);
                    }
                    return;
                case CouncilAction.Finished f:
                    Flush(decided);
                    _rounds.Ended(f.Outcome.Succeeded ? "succeeded" : "failed", failed: !f.Outcome.Succeeded);
                    if (f.Outcome.Succeeded) Succeed(f.Outcome.Answer!);
                    else Fail($"the council failed: {f.Outcome.Reason}");
                    return;
            }
        }
    }

    /// <summary>A council stopped before it was over (failed, cancelled) ends its round's span.</summary>
    protected override void PostStop()
    {
        _rounds.Ended("stopped");
        base.PostStop();
    }

    private void Flush(List<CouncilEntry> decided) =>
        Persist(decided.ConvertAll(e => (IPersistedEvent)new CouncilEntryRecorded(Dispatch.SessionId, Dispatch.TaskId, Dispatch.Attempt, e, Order.Clock())));
}
