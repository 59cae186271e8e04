using System.Numerics;
using Orchestrator.Core.Messaging;
using static Orchestrator.Core.Agents.AgentEvents;

namespace Orchestrator.Core.Agents;

/// <summary>The registry's index for choosing agents fast: each agent has a slot; a bit set per capability and per
/// role, a bit set of agents available now (model alive, a slot free), and per task kind an array of learned quality by
/// slot. A selection ANDs the bit sets of the role and every required capability with the available set, then scores
/// only the agents left (learned quality + capacity weight × free fraction; ties by name), so it costs
/// O(agents / 64 + matches) with no allocation once a kind has been seen. Kept in step with
/// <see cref="AgentRegistryState"/> through <see cref="Apply"/>; rebuilt from a state by <see cref="Build"/>. Health is
/// live (<see cref="SetModelHealth"/>), never persisted. Not thread-safe: one actor owns it.</summary>
public sealed class AgentSelector
{
    private const int MaxCachedKinds = 4096;

    private readonly AgentRegistrySettings _settings;
    private readonly Dictionary<string, int> _slotByName = new(StringComparer.Ordinal);
    private readonly Stack<int> _freeSlots = new();
    private readonly Dictionary<string, ulong[]> _byCapability = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong[]> _byRole = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double[]> _qualityByKind = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deadModels = new(StringComparer.Ordinal);
    private AgentProfile?[] _agents = new AgentProfile?[64];
    private double[] _free = new double[64];
    private ulong[] _available = new ulong[1];
    private ulong[] _scratch = new ulong[1];
    private int _used;
    private AgentRegistryState _state;

    private AgentSelector(AgentRegistrySettings settings, AgentRegistryState state)
    {
        _settings = settings;
        _state = state;
    }

    /// <summary>An index over every agent of <paramref name="state"/>, every model taken to be alive.</summary>
    public static AgentSelector Build(AgentRegistryState state, AgentRegistrySettings settings)
    {
        var selector = new AgentSelector(settings, state);
        foreach (var agent in state.Agents.Values) selector.Add(agent);
        return selector;
    }

    /// <summary>Keeps the index in step after <paramref name="e"/> was applied, giving <paramref name="after"/>.</summary>
    public void Apply(IPersistedEvent e, AgentRegistryState after)
    {
        var before = _state;
        _state = after;
        switch (e)
        {
            case AgentRegistered r:
                Add(r.Agent);
                break;
            case AgentUpdated u when _slotByName.TryGetValue(u.Agent.Name, out var slot):
                Unindex(slot);
                Index(slot, u.Agent);
                break;
            case AgentRemoved r when _slotByName.Remove(r.Name, out var slot):
                Unindex(slot);
                _agents[slot] = null;
                _freeSlots.Push(slot);
                break;
            case AgentAssigned a:
                Refresh(a.Agent);
                break;
            case AssignmentReleased r:
                if (before.Assignments.TryGetValue(r.TaskKey, out var released)) Refresh(released.Agent);
                break;
            case TaskOutcomeRecorded o:
                if (before.Assignments.TryGetValue(o.TaskKey, out var held)) Refresh(held.Agent);
                Relearn(o.Agent, o.Kind);
                break;
            case QualityRecorded q:
                Relearn(q.Agent, q.Kind);
                break;
        }
    }

    /// <summary>Marks a model alive or down; agents on a dead model are never chosen.</summary>
    public void SetModelHealth(string model, bool alive)
    {
        if (!(alive ? _deadModels.Remove(model) : _deadModels.Add(model))) return;
        foreach (var (_, slot) in _slotByName)
            if (_agents[slot]!.Model == model) Refresh(slot);
    }

    /// <summary>Whether <paramref name="model"/> is taken to be alive (every model is, until reported down).</summary>
    public bool IsHealthy(string model) => !_deadModels.Contains(model);

    /// <summary>The models of registered agents.</summary>
    public IReadOnlyCollection<string> Models => _slotByName.Values.Select(s => _agents[s]!.Model).ToHashSet(StringComparer.Ordinal);

    /// <summary>The score an agent would be chosen by for <paramref name="kind"/> now (0 for an unknown agent).</summary>
    public double ScoreOf(string agent, string kind) =>
        _slotByName.TryGetValue(agent, out var slot) ? QualityFor(kind)[slot] + _settings.CapacityWeight * _free[slot] : 0;

    /// <summary>The best available agent with the role (when given) and every capability for a task of
    /// <paramref name="kind"/>, or null with the reason.</summary>
    public AgentChoice? Select(IReadOnlyList<string> capabilities, string? role, string kind, out string? reason)
    {
        reason = null;
        var words = _available.Length;
        if (_scratch.Length < words) _scratch = new ulong[words];
        var mask = _scratch.AsSpan(0, words);
        _available.AsSpan().CopyTo(mask);
        if (!Intersect(mask, capabilities, role))
        {
            reason = NoneReason(capabilities, role);
            return null;
        }
        var quality = QualityFor(kind);
        var weight = _settings.CapacityWeight;
        var best = -1;
        var bestScore = double.NegativeInfinity;
        for (var w = 0; w < words; w++)
        {
            var bits = mask[w];
            while (bits != 0)
            {
                var slot = (w << 6) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                var score = quality[slot] + weight * _free[slot];
                if (score > bestScore || score == bestScore && string.CompareOrdinal(_agents[slot]!.Name, _agents[best]!.Name) < 0)
                {
                    best = slot;
                    bestScore = score;
                }
            }
        }
        if (best < 0)
        {
            reason = NoneReason(capabilities, role);
            return null;
        }
        return new AgentChoice(_agents[best]!, bestScore);
    }

    /// <summary>The naive selection, for comparison: every agent in name order, each checked and scored from the state
    /// directly. The same answer as <see cref="Select"/>, at O(agents × capabilities) with dictionary lookups.</summary>
    public static AgentChoice? LinearScan(
        AgentRegistryState state, AgentRegistrySettings settings, Func<string, bool> healthy,
        IReadOnlyList<string> capabilities, string? role, string kind)
    {
        AgentChoice? best = null;
        foreach (var agent in state.Agents.Values)
        {
            if (role is not null && agent.Role != role) continue;
            if (!healthy(agent.Model)) continue;
            var inFlight = state.InFlightOf(agent.Name);
            if (inFlight >= agent.MaxConcurrentTasks) continue;
            if (!capabilities.All(c => agent.Capabilities.Contains(c.Trim().ToLowerInvariant(), StringComparer.Ordinal))) continue;
            var prior = agent.SpecializationFor(kind, settings.DefaultPrior);
            var quality = state.Stats.TryGetValue(new AgentKind(agent.Name, kind), out var s) ? s.Estimate(prior, settings.PriorWeight) : prior;
            var score = quality + settings.CapacityWeight * ((agent.MaxConcurrentTasks - inFlight) / (double)agent.MaxConcurrentTasks);
            if (best is null || score > best.Value.Score) best = new AgentChoice(agent, score);
        }
        return best;
    }

    private bool Intersect(Span<ulong> mask, IReadOnlyList<string> capabilities, string? role)
    {
        if (role is not null)
        {
            if (!_byRole.TryGetValue(role, out var roleBits)) return false;
            And(mask, roleBits);
        }
        for (var i = 0; i < capabilities.Count; i++)
        {
            if (!_byCapability.TryGetValue(capabilities[i], out var bits)
                && !_byCapability.TryGetValue(capabilities[i].Trim().ToLowerInvariant(), out bits))
                return false;
            And(mask, bits);
        }
        return true;
    }

    private static void And(Span<ulong> mask, ulong[] bits)
    {
        for (var w = 0; w < mask.Length; w++) mask[w] &= w < bits.Length ? bits[w] : 0;
    }

    private string NoneReason(IReadOnlyList<string> capabilities, string? role)
    {
        var matching = _slotByName.Values.Select(s => _agents[s]!)
            .Where(a => role is null || a.Role == role)
            .Where(a => capabilities.All(c => a.Capabilities.Contains(c.Trim().ToLowerInvariant(), StringComparer.Ordinal)))
            .ToList();
        var wanted = (role is null ? "" : $"role '{role}' and ") +
                     (capabilities.Count == 0 ? "no particular capability" : "capabilities " + string.Join(", ", capabilities));
        if (matching.Count == 0) return $"no registered agent has {wanted}";
        var down = matching.Where(a => !IsHealthy(a.Model)).ToList();
        if (down.Count == matching.Count)
            return $"every agent with {wanted} has its model down ({string.Join(", ", down.Select(a => a.Model).Distinct().Order())})";
        return $"every agent with {wanted} is busy or down ({matching.Count} match, {down.Count} down)";
    }

    private double[] QualityFor(string kind)
    {
        if (_qualityByKind.TryGetValue(kind, out var cached)) return cached;
        if (_qualityByKind.Count >= MaxCachedKinds) _qualityByKind.Clear();
        var quality = new double[_agents.Length];
        foreach (var (name, slot) in _slotByName) quality[slot] = Estimate(_agents[slot]!, kind);
        _qualityByKind[kind] = quality;
        return quality;
    }

    private double Estimate(AgentProfile agent, string kind)
    {
        var prior = agent.SpecializationFor(kind, _settings.DefaultPrior);
        return _state.Stats.TryGetValue(new AgentKind(agent.Name, kind), out var s) ? s.Estimate(prior, _settings.PriorWeight) : prior;
    }

    private void Relearn(string agent, string kind)
    {
        if (_slotByName.TryGetValue(agent, out var slot) && _qualityByKind.TryGetValue(kind, out var quality))
            quality[slot] = Estimate(_agents[slot]!, kind);
    }

    private void Add(AgentProfile agent)
    {
        var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _used++;
        Grow(slot + 1);
        _slotByName[agent.Name] = slot;
        Index(slot, agent);
    }

    private void Index(int slot, AgentProfile agent)
    {
        _agents[slot] = agent;
        foreach (var capability in agent.Capabilities) Set(Bits(_byCapability, capability), slot, true);
        Set(Bits(_byRole, agent.Role), slot, true);
        foreach (var (kind, quality) in _qualityByKind) quality[slot] = Estimate(agent, kind);
        Refresh(slot);
    }

    private void Unindex(int slot)
    {
        var agent = _agents[slot]!;
        foreach (var capability in agent.Capabilities) Set(_byCapability[capability], slot, false);
        Set(_byRole[agent.Role], slot, false);
        Set(_available, slot, false);
    }

    private void Refresh(string agent)
    {
        if (_slotByName.TryGetValue(agent, out var slot)) Refresh(slot);
    }

    /// <summary>Recomputes a slot's free fraction and availability from the state and health.</summary>
    private void Refresh(int slot)
    {
        var agent = _agents[slot]!;
        var inFlight = _state.InFlightOf(agent.Name);
        _free[slot] = (agent.MaxConcurrentTasks - inFlight) / (double)agent.MaxConcurrentTasks;
        Set(_available, slot, inFlight < agent.MaxConcurrentTasks && IsHealthy(agent.Model));
    }

    private ulong[] Bits(Dictionary<string, ulong[]> index, string key)
    {
        if (!index.TryGetValue(key, out var bits)) index[key] = bits = new ulong[_available.Length];
        return bits;
    }

    private static void Set(ulong[] bits, int slot, bool on)
    {
        if (on) bits[slot >> 6] |= 1UL << (slot & 63);
        else bits[slot >> 6] &= ~(1UL << (slot & 63));
    }

    private void Grow(int slots)
    {
        if (slots <= _agents.Length && (slots + 63) >> 6 <= _available.Length) return;
        var capacity = Math.Max(slots, _agents.Length * 2);
        var words = (capacity + 63) >> 6;
        Array.Resize(ref _agents, capacity);
        Array.Resize(ref _free, capacity);
        Array.Resize(ref _available, words);
        foreach (var key in _byCapability.Keys.ToList()) _byCapability[key] = Resized(_byCapability[key], words);
        foreach (var key in _byRole.Keys.ToList()) _byRole[key] = Resized(_byRole[key], words);
        foreach (var key in _qualityByKind.Keys.ToList()) _qualityByKind[key] = Resized(_qualityByKind[key], capacity);
    }

    private static T[] Resized<T>(T[] array, int length)
    {
        Array.Resize(ref array, length);
        return array;
    }
}
