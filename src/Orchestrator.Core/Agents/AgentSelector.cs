using System.Numerics;
using Orchestrator.Core.Messaging;
using static Orchestrator.Core.Agents.AgentEvents;

namespace Orchestrator.Core.Agents;

/// <summary>The index for choosing agents fast: each agent has a slot; a bit set per capability and per role, a bit set
/// of agents available now (model alive, a slot free), a bit set of agents whose model has a free sequence, and per task
/// kind the learned quality, outcome count and latency by slot. A selection ANDs the bit sets of the role and every
/// required capability with the available set (and with the set whose model has room, when that leaves anyone: one
/// model is not flooded while another that serves the role is idle), then scores only the agents left by
/// <see cref="AgentScore"/> (ties by name), so it costs O(agents / 64 + matches) with no allocation once a kind has been
/// seen. Kept in step with <see cref="AgentRegistryState"/> through <see cref="Apply"/>; rebuilt from a state by
/// <see cref="Build"/>. Load comes from the owner: the registry's own assignments, or a node's dispatch grants
/// (<see cref="RefreshLoad"/> after a change). Health and room are live (<see cref="SetModelHealth"/>,
/// <see cref="SetModelRoom"/>), never persisted. Not thread-safe: one actor owns it.</summary>
public sealed class AgentSelector
{
    private const int MaxCachedKinds = 4096;

    private readonly AgentRegistrySettings _settings;
    private readonly Dictionary<string, int> _slotByName = new(StringComparer.Ordinal);
    private readonly Stack<int> _freeSlots = new();
    private readonly Dictionary<string, ulong[]> _byCapability = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong[]> _byRole = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KindIndex> _byKind = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deadModels = new(StringComparer.Ordinal);
    private readonly HashSet<string> _fullModels = new(StringComparer.Ordinal);
    private readonly Func<AgentRegistryState, string, int>? _load;
    private AgentProfile?[] _agents = new AgentProfile?[64];
    private double[] _free = new double[64];
    private ulong[] _available = new ulong[1];
    private ulong[] _roomy = new ulong[1];
    private ulong[] _registered = new ulong[1];
    private ulong[] _scratch = new ulong[1];
    private int _used;
    private AgentRegistryState _state;

    private AgentSelector(AgentRegistrySettings settings, AgentRegistryState state, Func<AgentRegistryState, string, int>? load)
    {
        _settings = settings;
        _state = state;
        _load = load;
    }

    /// <summary>An index over every agent of <paramref name="state"/>, every model taken to be alive and to have room.
    /// <paramref name="load"/> gives an agent's tasks in flight (by default the state's assignments).</summary>
    public static AgentSelector Build(AgentRegistryState state, AgentRegistrySettings settings, Func<AgentRegistryState, string, int>? load = null)
    {
        var selector = new AgentSelector(settings, state, load);
        foreach (var agent in state.Agents.Values) selector.Add(agent);
        return selector;
    }

    /// <summary>Every registered agent.</summary>
    public IEnumerable<AgentProfile> Registered => _slotByName.Values.Select(s => _agents[s]!);

    /// <summary>The agent, when registered.</summary>
    public AgentProfile? Find(string name) => _slotByName.TryGetValue(name, out var slot) ? _agents[slot] : null;

    /// <summary>Whether some registered agent has <paramref name="role"/>.</summary>
    public bool HasRole(string role) => _byRole.TryGetValue(role, out var bits) && bits.Any(w => w != 0);

    /// <summary>Whether some registered agent has the role (when given) and every capability, busy, down or not.</summary>
    public bool AnyMatch(IReadOnlyList<string> capabilities, string? role)
    {
        var mask = new ulong[_registered.Length];
        _registered.AsSpan().CopyTo(mask);
        return Intersect(mask, capabilities, role) && mask.Any(w => w != 0);
    }

    /// <summary>Recomputes an agent's load after its owner's count of its tasks in flight changed.</summary>
    public void RefreshLoad(string agent) => Refresh(agent);

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

    /// <summary>Marks whether <paramref name="model"/> has a free sequence; agents on a full model are chosen only when
    /// every candidate's model is full.</summary>
    public void SetModelRoom(string model, bool room)
    {
        if (!(room ? _fullModels.Remove(model) : _fullModels.Add(model))) return;
        foreach (var (_, slot) in _slotByName)
            if (_agents[slot]!.Model == model) Set(_roomy, slot, room);
    }

    /// <summary>The score an agent would be chosen by for <paramref name="kind"/> now, alone (0 for an unknown agent).</summary>
    public double ScoreOf(string agent, string kind)
    {
        if (!_slotByName.TryGetValue(agent, out var slot)) return 0;
        var k = IndexOf(kind);
        return AgentScore.Of(_settings, k.Quality[slot], k.Samples[slot], k.Total, k.LatencyMs[slot], k.LatencyMs[slot], _free[slot]);
    }

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
        var any = false;
        var roomy = false;
        for (var w = 0; w < words; w++)
        {
            any |= mask[w] != 0;
            roomy |= (mask[w] & _roomy[w]) != 0;
        }
        if (!any)
        {
            reason = NoneReason(capabilities, role);
            return null;
        }
        if (roomy)
            for (var w = 0; w < words; w++) mask[w] &= _roomy[w];

        var k = IndexOf(kind);
        var fastest = double.PositiveInfinity;
        for (var w = 0; w < words; w++)
            for (var bits = mask[w]; bits != 0; bits &= bits - 1)
            {
                var latency = k.LatencyMs[(w << 6) + BitOperations.TrailingZeroCount(bits)];
                if (latency > 0 && latency < fastest) fastest = latency;
            }
        var best = -1;
        var bestScore = double.NegativeInfinity;
        for (var w = 0; w < words; w++)
        {
            for (var bits = mask[w]; bits != 0; bits &= bits - 1)
            {
                var slot = (w << 6) + BitOperations.TrailingZeroCount(bits);
                var score = AgentScore.Of(_settings, k.Quality[slot], k.Samples[slot], k.Total, k.LatencyMs[slot], fastest, _free[slot]);
                if (score > bestScore || score == bestScore && string.CompareOrdinal(_agents[slot]!.Name, _agents[best]!.Name) < 0)
                {
                    best = slot;
                    bestScore = score;
                }
            }
        }
        return new AgentChoice(_agents[best]!, bestScore);
    }

    /// <summary>The naive selection, for comparison: every agent in name order, each checked and scored from the state
    /// directly. The same answer as <see cref="Select"/>, at O(agents × capabilities) with dictionary lookups.</summary>
    public static AgentChoice? LinearScan(
        AgentRegistryState state, AgentRegistrySettings settings, Func<string, bool> healthy,
        IReadOnlyList<string> capabilities, string? role, string kind, Func<string, bool>? modelHasRoom = null)
    {
        var matching = state.Agents.Values
            .Where(a => role is null || a.Role == role)
            .Where(a => healthy(a.Model) && state.InFlightOf(a.Name) < a.MaxConcurrentTasks)
            .Where(a => capabilities.All(c => a.Capabilities.Contains(c.Trim().ToLowerInvariant(), StringComparer.Ordinal)))
            .ToList();
        if (modelHasRoom is not null && matching.Any(a => modelHasRoom(a.Model)))
            matching = matching.Where(a => modelHasRoom(a.Model)).ToList();
        var total = state.Agents.Values.Sum(a => state.StatsOf(a.Name, kind).Samples);
        var latencies = matching.Select(a => state.StatsOf(a.Name, kind)).Where(s => s.Samples > 0 && s.LatencyMs > 0).Select(s => s.LatencyMs).ToList();
        var fastest = latencies.Count > 0 ? latencies.Min() : double.PositiveInfinity;
        AgentChoice? best = null;
        foreach (var agent in matching)
        {
            var inFlight = state.InFlightOf(agent.Name);
            var prior = agent.SpecializationFor(kind, settings.DefaultPrior);
            var stats = state.StatsOf(agent.Name, kind);
            var quality = stats.Estimate(prior, settings.PriorWeight);
            var free = (agent.MaxConcurrentTasks - inFlight) / (double)agent.MaxConcurrentTasks;
            var score = AgentScore.Of(settings, quality, stats.Samples, total, stats.Samples > 0 ? stats.LatencyMs : 0, fastest, free);
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

    private KindIndex IndexOf(string kind)
    {
        if (_byKind.TryGetValue(kind, out var cached)) return cached;
        if (_byKind.Count >= MaxCachedKinds) _byKind.Clear();
        var index = new KindIndex(_agents.Length);
        foreach (var (_, slot) in _slotByName) Learn(index, slot, kind);
        _byKind[kind] = index;
        return index;
    }

    /// <summary>Sets a slot's learned figures for <paramref name="kind"/> from the state, keeping the kind's total.</summary>
    private void Learn(KindIndex index, int slot, string kind)
    {
        var agent = _agents[slot]!;
        var prior = agent.SpecializationFor(kind, _settings.DefaultPrior);
        var stats = _state.Stats.GetValueOrDefault(new AgentKind(agent.Name, kind));
        index.Total += (stats?.Samples ?? 0) - index.Samples[slot];
        index.Quality[slot] = stats is null ? prior : stats.Estimate(prior, _settings.PriorWeight);
        index.Samples[slot] = stats?.Samples ?? 0;
        index.LatencyMs[slot] = stats is { Samples: > 0 } ? stats.LatencyMs : 0;
    }

    private void Relearn(string agent, string kind)
    {
        if (_slotByName.TryGetValue(agent, out var slot) && _byKind.TryGetValue(kind, out var index))
            Learn(index, slot, kind);
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
        foreach (var (kind, index) in _byKind) Learn(index, slot, kind);
        Set(_roomy, slot, !_fullModels.Contains(agent.Model));
        Set(_registered, slot, true);
        Refresh(slot);
    }

    private void Unindex(int slot)
    {
        var agent = _agents[slot]!;
        foreach (var capability in agent.Capabilities) Set(_byCapability[capability], slot, false);
        Set(_byRole[agent.Role], slot, false);
        Set(_available, slot, false);
        Set(_roomy, slot, false);
        Set(_registered, slot, false);
        foreach (var (_, index) in _byKind)
        {
            index.Total -= index.Samples[slot];
            index.Samples[slot] = 0;
        }
    }

    private void Refresh(string agent)
    {
        if (_slotByName.TryGetValue(agent, out var slot)) Refresh(slot);
    }

    /// <summary>Recomputes a slot's free fraction and availability from the state and health.</summary>
    private void Refresh(int slot)
    {
        var agent = _agents[slot]!;
        var inFlight = _load?.Invoke(_state, agent.Name) ?? _state.InFlightOf(agent.Name);
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
        Array.Resize(ref _roomy, words);
        Array.Resize(ref _registered, words);
        foreach (var key in _byCapability.Keys.ToList()) _byCapability[key] = Resized(_byCapability[key], words);
        foreach (var key in _byRole.Keys.ToList()) _byRole[key] = Resized(_byRole[key], words);
        foreach (var index in _byKind.Values) index.Grow(capacity);
    }

    private static T[] Resized<T>(T[] array, int length)
    {
        Array.Resize(ref array, length);
        return array;
    }

    /// <summary>What was learned of every agent at one kind of task, by slot, and the kind's outcomes in all.</summary>
    private sealed class KindIndex(int slots)
    {
        public double[] Quality = new double[slots];
        public long[] Samples = new long[slots];
        public double[] LatencyMs = new double[slots];
        public long Total;

        public void Grow(int slots)
        {
            Array.Resize(ref Quality, slots);
            Array.Resize(ref Samples, slots);
            Array.Resize(ref LatencyMs, slots);
        }
    }
}
