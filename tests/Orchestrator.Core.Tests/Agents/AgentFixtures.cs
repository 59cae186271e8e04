using Orchestrator.Core.Agents;
using Orchestrator.Core.Contracts;
using Orchestrator.Core.Messaging;
using Orchestrator.Messages;
using static Orchestrator.Core.Agents.AgentCommands;

namespace Orchestrator.Core.Tests.Agents;

/// <summary>A registry over models m1..m3 and roles coder, reviewer, with a tiny driver.</summary>
internal static class AgentFixtures
{
    internal static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    internal static readonly AgentRegistrySettings Settings = new(
        new HashSet<string> { "m1", "m2", "m3" }, new HashSet<string> { "coder", "reviewer" });

    /// <summary>A registry and its selector kept in step, as the actor keeps them.</summary>
    internal sealed class Registry
    {
        public AgentRegistryState State { get; private set; } = AgentRegistryState.Empty(Settings.Alpha);
        public AgentSelector Selector { get; }

        public Registry() => Selector = AgentSelector.Build(State, Settings);

        public IClusterMessage? Run(CommandResult decision)
        {
            foreach (var e in decision.Events) Persisted(e);
            return decision.Reply;
        }

        public void Persisted(IPersistedEvent e)
        {
            State = State.Apply(e);
            Selector.Apply(e, State);
        }

        public IClusterMessage? Register(string name, string role = "coder", string model = "m1", int max = 2,
            IReadOnlyDictionary<string, double>? specialization = null, params string[] capabilities) =>
            Run(State.Decide(new RegisterAgent(name, role, capabilities, model, max, specialization), Settings, T0));

        public IClusterMessage? Select(string key, string kind, params string[] capabilities) =>
            Run(State.Decide(new SelectAgent(key, kind, capabilities), Selector, T0));

        private int _attempts;

        /// <summary>Records an outcome of attempt <paramref name="key"/> (a new attempt each call when none is named).</summary>
        public void Outcome(string agent, string kind, bool success, string? key = null, double seconds = 1, DateTimeOffset? at = null) =>
            Run(State.Decide(new RecordTaskOutcome(agent, kind, key ?? $"attempt-{++_attempts}", success, TimeSpan.FromSeconds(seconds), 100,
                at ?? T0)));
    }
}
