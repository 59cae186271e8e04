using Orchestrator.Core.Agents;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Models;

namespace Orchestrator.Core.Decisions;

/// <summary>A node's dispatch slots and who holds them, as pure logic (the node's decision-engine actor owns one).
/// Sessions state what they want now (<see cref="Demand"/>: their candidates, which replace what they wanted before);
/// the board grants free slots across all waiting sessions, higher task priority first, then the session holding the
/// fewest slots, then the one that waited longest, so no session starves another of equal priority. Each grant names
/// the agent that runs the task, chosen by <see cref="AgentSelector"/> from the agents with the task's role and
/// capabilities (learned quality, exploration, speed, load; an agent at its limit or on a model that is down is not
/// chosen, and a model with a free sequence is preferred); a role no agent has runs on its default model
/// (<c>models-by-role</c>). A task nothing here can run is refused with the reason. A grant is held until given back
/// (<see cref="Release"/>) or its session stops (<see cref="ReleaseSession"/>); asking again for a task that holds one
/// answers the same grant, never a second. A council or group chat attempt asks the same way for its members' agents
/// (<see cref="DemandForMembers"/>): chosen by the same rule, held the same way, but taking no node slot, since the
/// attempt's own task holds one. Not thread-safe: one actor owns it.</summary>
public sealed class DispatchBoard
{
    private readonly AgentRegistrySettings _settings;
    private readonly IReadOnlyDictionary<string, string>? _modelByRole;
    private readonly IReadOnlySet<string>? _servedModels;
    private readonly Func<string, int> _modelCapacity;
    private readonly Dictionary<string, SessionSlots> _sessions = new(StringComparer.Ordinal);

    /// <summary>The sessions last told they may carry their slots (<see cref="DispatchAnswer.MayCarry"/>).</summary>
    private readonly HashSet<string> _carriers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byAgent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byModel = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deadModels = new(StringComparer.Ordinal);
    private IReadOnlySet<string> _servedElsewhere = new HashSet<string>(StringComparer.Ordinal);
    private AgentSelector _selector;
    private long _turn;

    /// <summary>A board of <paramref name="capacity"/> slots (0: no session's task is ever granted). <paramref name="servedModels"/> are the models this node
    /// serves (null: any model named is taken to be served); <paramref name="modelCapacity"/> gives each model's
    /// sequences (past them its agents are chosen only when no other candidate's model has room).</summary>
    public DispatchBoard(int capacity, AgentRegistrySettings settings, IReadOnlyDictionary<string, string>? modelByRole = null,
        IReadOnlySet<string>? servedModels = null, Func<string, int>? modelCapacity = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        _settings = settings;
        _modelByRole = modelByRole;
        _servedModels = servedModels;
        _modelCapacity = modelCapacity ?? (_ => int.MaxValue);
        _selector = AgentSelector.Build(AgentRegistryState.Empty(settings.Alpha), settings, (_, agent) => _byAgent.GetValueOrDefault(agent));
    }

    /// <summary>The node's slots.</summary>
    public int Capacity { get; }

    /// <summary>Slots granted and not given back (members' grants take none).</summary>
    public int Granted { get; private set; }

    /// <summary>Slots free now.</summary>
    public int Free => Capacity - Granted;

    /// <summary>Sessions waiting for a slot, an agent or a model.</summary>
    public int Waiting => _sessions.Values.Count(s => s.Wanted.Count > 0);

    /// <summary>Slots held by <paramref name="sessionId"/>.</summary>
    public int HeldBy(string sessionId) => _sessions.TryGetValue(sessionId, out var s) ? s.Grants.Count : 0;

    /// <summary>Tasks in flight through this board, by agent.</summary>
    public IReadOnlyDictionary<string, int> ByAgent => _byAgent;

    /// <summary>Tasks in flight through this board, by model.</summary>
    public IReadOnlyDictionary<string, int> ByModel => _byModel;

    /// <summary>Models taken to be down.</summary>
    public IReadOnlyCollection<string> ModelsDown => _deadModels;

    /// <summary>Tasks in flight on <paramref name="agent"/> through this board.</summary>
    public int InFlightOf(string agent) => _byAgent.GetValueOrDefault(agent);

    /// <summary>Tasks in flight on <paramref name="model"/> through this board.</summary>
    public int InFlightOn(string model) => _byModel.GetValueOrDefault(model);

    /// <summary>The registry's agents and what they learned, taken whole (a first copy, or after a gap).</summary>
    public void Adopt(AgentRegistryState registry)
    {
        _selector = AgentSelector.Build(registry, _settings, (_, agent) => _byAgent.GetValueOrDefault(agent));
        foreach (var model in _deadModels) _selector.SetModelHealth(model, false);
        foreach (var (model, count) in _byModel) _selector.SetModelRoom(model, count < _modelCapacity(model));
    }

    /// <summary>One registry event, already applied to give <paramref name="after"/>; then grants what waited for an
    /// agent (one may have joined or changed).</summary>
    public IReadOnlyList<DispatchAnswer> Apply(IPersistedEvent e, AgentRegistryState after)
    {
        _selector.Apply(e, after);
        return e is AgentEvents.AgentRegistered or AgentEvents.AgentUpdated ? [.. Revoke(), .. Allocate(null)] : [];
    }

    /// <summary>Marks a model alive or down; then grants what waited for it.</summary>
    public IReadOnlyList<DispatchAnswer> SetModelHealth(string model, bool alive)
    {
        if (!(alive ? _deadModels.Remove(model) : _deadModels.Add(model))) return [];
        _selector.SetModelHealth(model, alive);
        return alive ? Allocate(null) : Revoke();
    }

    /// <summary>The models other members of the cluster serve now: their agents and roles are granted here too (the
    /// node's model router sends their requests there) instead of being refused.</summary>
    public void SetServedElsewhere(IReadOnlySet<string> models) => _servedElsewhere = models;

    /// <summary>Whether <paramref name="model"/> is taken to be alive.</summary>
    public bool IsHealthy(string model) => !_deadModels.Contains(model);

    /// <summary>What <paramref name="sessionId"/> wants now (its candidates in its own order; empty: nothing), then an
    /// allocation: the answer for this session (always, with what it holds back) and for any other that got slots.</summary>
    public IReadOnlyList<DispatchAnswer> Demand(string sessionId, IReadOnlyList<DispatchCandidate> candidates) =>
        Want(sessionId, candidates, insideSlot: false);

    /// <summary>What the council or group chat attempt <paramref name="holderId"/> wants now for its members that name only
    /// a role (one candidate per request, its key as the task id; empty: nothing), answered as <see cref="Demand"/> is.
    /// Each grant names the agent (or the role's default model) by the same rule as a session's task and counts against
    /// that agent's <c>max-concurrent</c> and its model's sequences, but takes no node slot: the attempt runs inside the
    /// slot its own task holds, so a council never waits for a slot its own session holds. Given back with
    /// <see cref="Release"/>, or all at once with <see cref="ReleaseSession"/> when the attempt stops.</summary>
    public IReadOnlyList<DispatchAnswer> DemandForMembers(string holderId, IReadOnlyList<DispatchCandidate> candidates) =>
        Want(holderId, candidates, insideSlot: true);

    private IReadOnlyList<DispatchAnswer> Want(string sessionId, IReadOnlyList<DispatchCandidate> candidates, bool insideSlot)
    {
        var session = SessionOf(sessionId);
        session.InsideSlot = insideSlot;
        var again = new List<DispatchGrant>();
        var wanted = new List<DispatchCandidate>(candidates.Count);
        foreach (var c in candidates)
        {
            if (session.Grants.TryGetValue(c.TaskId, out var held))
            {
                if (held.Attempt == c.Attempt)
                {
                    again.Add(held); // asked again (a restarted session, a lost answer): the same grant
                    continue;
                }
                Return(session, held); // an earlier attempt's grant: superseded
            }
            wanted.Add(c);
        }
        if (session.Wanted.Count == 0 && wanted.Count > 0) session.Turn = ++_turn;
        session.Wanted = wanted;
        var answers = Allocate(sessionId);
        if (again.Count == 0) return answers;
        return answers.Select(a => a.SessionId == sessionId ? a with { Grants = [.. again, .. a.Grants] } : a).ToList();
    }

    /// <summary>A session that may carry (<see cref="DispatchAnswer.MayCarry"/>) passed the slot of attempt
    /// <paramref name="fromAttempt"/> of <paramref name="fromTaskId"/>, which ended, to <paramref name="to"/>, its next
    /// task of the same role on the same model (no agent has the role): the grant moves without an answer. A slot this
    /// board no longer knows (it restarted meanwhile) is taken again. When another session waits by now, the session is
    /// told it may carry no more. The slots it carried before that word reaches it went past the waiting session: one,
    /// unless the engine falls behind the session's steps (a busy node), then as many as it carried meanwhile.</summary>
    public IReadOnlyList<DispatchAnswer> Carry(string sessionId, string fromTaskId, int fromAttempt, DispatchGrant to)
    {
        var session = SessionOf(sessionId);
        if (session.Grants.TryGetValue(fromTaskId, out var from) && from.Attempt == fromAttempt) Return(session, from);
        Take(session, to);
        return AnyWaiting ? Revoke() : [];
    }

    /// <summary>Every session told it may carry is told it may not (another session waits, an agent joined, a model
    /// went down: its next slot must be asked for).</summary>
    private IReadOnlyList<DispatchAnswer> Revoke()
    {
        var answers = _carriers.Select(s => new DispatchAnswer(s, [], [], [], MayCarry: false)).ToList();
        _carriers.Clear();
        return answers;
    }

    private bool AnyWaiting => _sessions.Values.Any(s => s.Wanted.Count > 0);

    /// <summary>Gives back the grant of one attempt (its outcome arrived, or it was not used); then grants what waited.</summary>
    public IReadOnlyList<DispatchAnswer> Release(string sessionId, string taskId, int attempt)
    {
        if (!_sessions.TryGetValue(sessionId, out var session) || !session.Grants.TryGetValue(taskId, out var grant) || grant.Attempt != attempt)
            return [];
        Return(session, grant);
        Forget(session);
        return Allocate(null);
    }

    /// <summary>The session stopped: every slot it held is free, its demand withdrawn; then grants what waited.</summary>
    public IReadOnlyList<DispatchAnswer> ReleaseSession(string sessionId)
    {
        if (!_sessions.Remove(sessionId, out var session)) return [];
        foreach (var grant in session.Grants.Values.ToList()) Return(session, grant);
        return Allocate(null);
    }

    /// <summary>Grants free slots to waiting sessions until none is free or nothing waiting can run (members' candidates
    /// need no free slot).</summary>
    private IReadOnlyList<DispatchAnswer> Allocate(string? asking)
    {
        // A slot given back while nobody waits (a chain's step, between one task's outcome and the next one's request).
        if (asking is null && !AnyWaiting) return [];
        var answers = new Dictionary<string, Answer>(StringComparer.Ordinal);
        Answer AnswerOf(SessionSlots s) => answers.TryGetValue(s.SessionId, out var a) ? a : answers[s.SessionId] = new Answer();
        if (asking is not null) AnswerOf(_sessions[asking]);

        var waiting = _sessions.Values.Where(s => s.Wanted.Count > 0).ToList();
        foreach (var s in waiting)
        {
            s.Cursor = 0;
            s.Kept.Clear();
        }
        while (true)
        {
            SessionSlots? next = null;
            foreach (var s in waiting)
                if (s.Cursor < s.Wanted.Count && (s.InsideSlot || Free > 0) && (next is null || Before(s, next))) next = s;
            if (next is null) break;
            var candidate = next.Wanted[next.Cursor++];
            switch (Choose(candidate, out var agent, out var model, out var reason))
            {
                case Choice.Grant:
                    var grant = new DispatchGrant(next.SessionId, candidate.TaskId, candidate.Attempt, agent, model!);
                    Take(next, grant);
                    next.Turn = ++_turn; // round robin among equals
                    AnswerOf(next).Grants.Add(grant);
                    break;
                case Choice.Refuse:
                    AnswerOf(next).Refusals.Add(new DispatchRefusal(candidate.TaskId, candidate.Attempt, reason!));
                    break;
                default:
                    next.Kept.Add(candidate);
                    if (next.SessionId == asking) AnswerOf(next).Holds.Add(new DispatchHold(candidate.TaskId, reason!));
                    break;
            }
        }
        if (asking is not null && _sessions.TryGetValue(asking, out var asker))
            for (var i = asker.Cursor; i < asker.Wanted.Count; i++)
                AnswerOf(asker).Holds.Add(new DispatchHold(asker.Wanted[i].TaskId, HeldBackReasons.NodeCapacity));
        // What each session still wants: the candidates held back, then those not reached, in the session's own order.
        // Granted and refused ones are dropped in one pass here rather than one removal each (a fan-out of 10,000 asks
        // for 10,000 at once, and removing each from the front of its list made the allocation quadratic).
        foreach (var s in waiting.Where(s => s.Cursor > 0))
        {
            s.Kept.AddRange(s.Wanted.Skip(s.Cursor));
            (s.Wanted, s.Kept) = (s.Kept, s.Wanted);
            s.Kept.Clear();
        }
        foreach (var s in waiting) Forget(s);
        if (asking is not null && _sessions.TryGetValue(asking, out var left)) Forget(left);
        // A session (not a council's members, who hold no node slot) may carry its slots while nobody waits; once
        // somebody does, every session that could is told it can no more.
        var anyWaiting = AnyWaiting;
        var decided = answers.Select(kv =>
        {
            var mayCarry = !anyWaiting && _sessions.TryGetValue(kv.Key, out var s) && !s.InsideSlot;
            if (mayCarry) _carriers.Add(kv.Key);
            else _carriers.Remove(kv.Key);
            return new DispatchAnswer(kv.Key, kv.Value.Grants, kv.Value.Refusals, kv.Value.Holds, mayCarry);
        }).ToList();
        return anyWaiting ? [.. decided, .. Revoke()] : decided;
    }

    /// <summary>Whether session <paramref name="a"/>'s next candidate goes before <paramref name="b"/>'s: higher priority,
    /// then fewer slots held, then longer waiting.</summary>
    private static bool Before(SessionSlots a, SessionSlots b)
    {
        var pa = a.Wanted[a.Cursor].Priority;
        var pb = b.Wanted[b.Cursor].Priority;
        if (pa != pb) return pa > pb;
        if (a.Grants.Count != b.Grants.Count) return a.Grants.Count < b.Grants.Count;
        return a.Turn < b.Turn;
    }

    /// <summary>Who runs <paramref name="c"/>: an agent with its role and capabilities, or, when no registered agent has
    /// the role and it needs no capability, the role's default model.</summary>
    private Choice Choose(DispatchCandidate c, out string? agent, out string? model, out string? reason)
    {
        agent = null;
        model = null;
        reason = null;
        if (_selector.AnyMatch(c.Capabilities, c.Role))
        {
            if (_selector.Select(c.Capabilities, c.Role, c.Kind, out _) is { } choice)
            {
                if (!IsServed(choice.Agent.Model))
                {
                    reason = $"agent '{choice.Agent.Name}' runs on model '{choice.Agent.Model}', which no node of the cluster serves";
                    return Choice.Refuse;
                }
                agent = choice.Agent.Name;
                model = choice.Agent.Model;
                return Choice.Grant;
            }
            reason = AgentsOf(c).All(a => !IsHealthy(a.Model)) ? HeldBackReasons.ModelDown : HeldBackReasons.AgentBusy;
            return Choice.Hold;
        }
        if (c.Capabilities.Count > 0)
        {
            reason = $"no registered agent has role '{c.Role}' and capabilities {string.Join(", ", c.Capabilities)}";
            return Choice.Refuse;
        }
        var fallback = RoleModels.ModelOf(_modelByRole, c.Role);
        if (!IsServed(fallback))
        {
            reason = $"no registered agent has role '{c.Role}' and no node of the cluster serves its model '{fallback}' " +
                     $"(models-by-role gives it; served here: {List(_servedModels!)}; elsewhere: {List(_servedElsewhere)})";
            return Choice.Refuse;
        }
        if (!IsHealthy(fallback))
        {
            reason = HeldBackReasons.ModelDown;
            return Choice.Hold;
        }
        model = fallback;
        return Choice.Grant;
    }

    /// <summary>Whether this node or another member serves <paramref name="model"/> (any model, when this node's models
    /// are not known).</summary>
    private bool IsServed(string model) => _servedModels is null || _servedModels.Contains(model) || _servedElsewhere.Contains(model);

    private static string List(IReadOnlySet<string> models) =>
        models.Count == 0 ? "none" : string.Join(", ", models.Order(StringComparer.Ordinal));

    private IEnumerable<AgentProfile> AgentsOf(DispatchCandidate c) =>
        _selector.Registered.Where(a => a.Role == c.Role && c.Capabilities.All(k => a.Capabilities.Contains(k.Trim().ToLowerInvariant(), StringComparer.Ordinal)));

    private void Take(SessionSlots session, DispatchGrant grant)
    {
        session.Grants[grant.TaskId] = grant;
        if (!session.InsideSlot) Granted++;
        Count(_byModel, grant.Model, +1);
        _selector.SetModelRoom(grant.Model, _byModel[grant.Model] < _modelCapacity(grant.Model));
        if (grant.Agent is { } agent)
        {
            Count(_byAgent, agent, +1);
            _selector.RefreshLoad(agent);
        }
    }

    private void Return(SessionSlots session, DispatchGrant grant)
    {
        session.Grants.Remove(grant.TaskId);
        if (!session.InsideSlot) Granted--;
        Count(_byModel, grant.Model, -1);
        _selector.SetModelRoom(grant.Model, _byModel.GetValueOrDefault(grant.Model) < _modelCapacity(grant.Model));
        if (grant.Agent is { } agent)
        {
            Count(_byAgent, agent, -1);
            _selector.RefreshLoad(agent);
        }
    }

    private static void Count(Dictionary<string, int> counts, string key, int delta)
    {
        var value = counts.GetValueOrDefault(key) + delta;
        if (value > 0) counts[key] = value;
        else counts.Remove(key);
    }

    private SessionSlots SessionOf(string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out var session)) _sessions[sessionId] = session = new SessionSlots(sessionId);
        return session;
    }

    /// <summary>A session that holds nothing and wants nothing is not kept.</summary>
    private void Forget(SessionSlots session)
    {
        if (session.Grants.Count == 0 && session.Wanted.Count == 0) _sessions.Remove(session.SessionId);
    }

    private enum Choice { Grant, Refuse, Hold }

    private sealed class SessionSlots(string sessionId)
    {
        public string SessionId { get; } = sessionId;
        public Dictionary<string, DispatchGrant> Grants { get; } = new(StringComparer.Ordinal);
        public List<DispatchCandidate> Wanted { get; set; } = [];
        public long Turn { get; set; }

        /// <summary>During an allocation: the next of <see cref="Wanted"/> to look at.</summary>
        public int Cursor { get; set; }

        /// <summary>During an allocation: the candidates looked at and held back, kept wanted in order.</summary>
        public List<DispatchCandidate> Kept { get; set; } = [];

        /// <summary>A council or chat attempt asking for its members: its grants take no node slot.</summary>
        public bool InsideSlot { get; set; }
    }

    private sealed class Answer
    {
        public List<DispatchGrant> Grants { get; } = [];
        public List<DispatchRefusal> Refusals { get; } = [];
        public List<DispatchHold> Holds { get; } = [];
    }
}
