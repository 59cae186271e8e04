using Orchestrator.Core.Agents;

namespace Orchestrator.Core.Decisions;

/// <summary>The requests of one council or group chat attempt whose member names only a role, as the node's decision
/// engine grants them agents (<see cref="DispatchBoard.DemandForMembers"/>): each request is a candidate under its key
/// (the attempt's number, the task's kind and priority) until granted, then runs as the granted agent on its model until
/// its generation is over, when its grant is given back and its outcome is learned under that agent's name. Pure: the
/// attempt's actor owns one and sends what it says.</summary>
public sealed class MemberDispatches
{
    private readonly Dictionary<string, DispatchCandidate> _wanted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _holds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DispatchGrant Grant, DateTimeOffset At)> _running = new(StringComparer.Ordinal);

    /// <summary>The requests of attempt <paramref name="attempt"/> (its id as text, <paramref name="holderId"/>, is how
    /// the engine knows it), of a task of <paramref name="kind"/> and <paramref name="priority"/>.</summary>
    public MemberDispatches(string holderId, int attempt, string kind, int priority)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(holderId);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        HolderId = holderId;
        Attempt = attempt;
        Kind = kind;
        Priority = priority;
    }

    /// <summary>The attempt as the engine knows it: its grants are held under this id.</summary>
    public string HolderId { get; }

    /// <summary>The attempt's number, the attempt of each candidate.</summary>
    public int Attempt { get; }

    /// <summary>The kind of task the members' outcomes are learned at.</summary>
    public string Kind { get; }

    /// <summary>The task's priority, each candidate's.</summary>
    public int Priority { get; }

    /// <summary>The requests waiting for an agent, to ask the engine for (all of them: a request replaces the last).</summary>
    public IReadOnlyList<DispatchCandidate> Wanted => [.. _wanted.Values];

    /// <summary>Asks for an agent of <paramref name="role"/> for the request <paramref name="key"/>; false when that
    /// request already waits or runs.</summary>
    public bool Want(string key, string role)
    {
        if (_wanted.ContainsKey(key) || _running.ContainsKey(key)) return false;
        _wanted[key] = new DispatchCandidate(key, Attempt, role, [], Kind, Priority);
        return true;
    }

    /// <summary>The engine's answer at <paramref name="now"/>: the grants of requests that wait (to start, each on its
    /// grant's model), grants no request waits for any more (to give back at once: one withdrawn while its grant was on
    /// its way), the first refusal of a request (the attempt fails with its reason: nothing here can run that member);
    /// the reason each request still waits is kept (<see cref="WhyWaiting"/>).</summary>
    public (IReadOnlyList<DispatchGrant> Start, IReadOnlyList<DispatchGrant> Unused, DispatchRefusal? Refused) Take(DispatchAnswer answer, DateTimeOffset now)
    {
        var start = new List<DispatchGrant>();
        var unused = new List<DispatchGrant>();
        foreach (var grant in answer.Grants)
            if (grant.Attempt == Attempt && _wanted.Remove(grant.TaskId))
            {
                _holds.Remove(grant.TaskId);
                _running[grant.TaskId] = (grant, now);
                start.Add(grant);
            }
            else if (!(_running.TryGetValue(grant.TaskId, out var running) && running.Grant == grant))
            {
                unused.Add(grant);
            }
        foreach (var hold in answer.Holds)
            if (_wanted.ContainsKey(hold.TaskId)) _holds[hold.TaskId] = hold.Reason;
        var refused = answer.Refusals.FirstOrDefault(r => r.Attempt == Attempt && _wanted.ContainsKey(r.TaskId));
        if (refused is not null) _wanted.Remove(refused.TaskId);
        return (start, unused, refused);
    }

    /// <summary>Whether request <paramref name="key"/> waits for an agent.</summary>
    public bool IsWaiting(string key) => _wanted.ContainsKey(key);

    /// <summary>Why request <paramref name="key"/> waits (<see cref="HeldBackReasons"/>), or null.</summary>
    public string? WhyWaiting(string key) => _holds.GetValueOrDefault(key);

    /// <summary>Stops waiting for an agent for <paramref name="key"/> (its deadline passed); false when it did not wait.</summary>
    public bool Withdraw(string key)
    {
        _holds.Remove(key);
        return _wanted.Remove(key);
    }

    /// <summary>The grant request <paramref name="key"/> runs on, or null (it waits, or names its model itself).</summary>
    public DispatchGrant? GrantOf(string key) => _running.TryGetValue(key, out var r) ? r.Grant : null;

    /// <summary>Request <paramref name="key"/>'s generation is over at <paramref name="now"/> (a reply, a failure, a
    /// time-out): its grant, to give back, and how long it ran; null when it held none.</summary>
    public (DispatchGrant Grant, TimeSpan Took)? Finish(string key, DateTimeOffset now)
    {
        if (!_running.Remove(key, out var running)) return null;
        return (running.Grant, now > running.At ? now - running.At : TimeSpan.Zero);
    }

    /// <summary>What the registry learns of a finished request that ran on <paramref name="grant"/>: its outcome under
    /// the agent's name, keyed by <paramref name="requestId"/> so it is counted once; null when no agent ran it (the
    /// role's default model).</summary>
    public AgentCommands.RecordTaskOutcome? Outcome(DispatchGrant grant, TimeSpan took, string requestId, bool success, long tokens, DateTimeOffset now) =>
        grant.Agent is { } agent ? new AgentCommands.RecordTaskOutcome(agent, Kind, requestId, success, took, tokens, now) : null;
}
