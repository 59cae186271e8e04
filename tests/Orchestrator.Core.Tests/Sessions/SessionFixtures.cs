using System.Text.Json;
using Orchestrator.Core.Catalog;
using Orchestrator.Core.Decisions;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Tests.Decisions;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Messages.Sessions.SessionCommands;

namespace Orchestrator.Core.Tests.Sessions;

/// <summary>Templates, sessions and a tiny driver shared by the session, decision and iteration specs.</summary>
internal static class SessionFixtures
{
    internal static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    internal static WorkflowNode Node(string id, int priority = 0, int retries = 0, string role = "analyst", string? phase = null,
        params string[] deps) => new(id, role, $"do {id}", deps, priority, Retries: retries, Phase: phase);

    internal static WorkflowTemplate Template(SessionSettingsSpec? settings, params WorkflowNode[] nodes) =>
        new("t", nodes, settings ?? SessionSettingsSpec.Empty, []);

    /// <summary>A running session of <paramref name="template"/>, as the events of its start.</summary>
    internal static (SessionState State, IReadOnlyList<IPersistedEvent> Events) Started(WorkflowTemplate template, string id = "s1")
    {
        var result = SessionState.Empty(id).Decide(
            new StartSession(id, template.Name, new Dictionary<string, string>()),
            new Dictionary<string, WorkflowTemplate> { [template.Name] = template }, T0);
        Assert.IsType<SessionReplies.SessionStarted>(result.Reply);
        return (SessionState.Empty(id).ApplyAll(result.Events), result.Events);
    }

    /// <summary>Decides and applies one step; returns the new state and the events it persisted.</summary>
    internal static (SessionState State, DecisionOutcome Outcome) Step(SessionState state, DateTimeOffset now, int nodeFree = 1000)
    {
        var outcome = GrantingNode.Next(state, new NodeContext(nodeFree, now));
        return (state.ApplyAll(outcome.Events), outcome);
    }

    internal static TaskSucceeded Success(SessionState state, string taskId, DateTimeOffset at, long tokens = 10) =>
        Success(state, TaskId.Parse(taskId), at, tokens);

    internal static TaskSucceeded Success(SessionState state, TaskId taskId, DateTimeOffset at, long tokens = 10) =>
        new(state.Id, taskId, state.Tasks[taskId].Attempt, $"output of {taskId}", tokens, TimeSpan.FromSeconds(1), at);

    internal static TaskFailed Failure(SessionState state, string taskId, DateTimeOffset at, bool retryable = true) =>
        Failure(state, TaskId.Parse(taskId), at, retryable);

    internal static TaskFailed Failure(SessionState state, TaskId taskId, DateTimeOffset at, bool retryable = true) =>
        new(state.Id, taskId, state.Tasks[taskId].Attempt, "model said no", "raw reply", retryable, 5, at);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The state as canonical JSON: equal states give equal text.</summary>
    internal static string Canonical(SessionState state) => JsonSerializer.Serialize(state.ToSnapshot(), Json);

    /// <summary>An event through JSON and back, as the journal's serializer would do it with the catalog's manifest.</summary>
    internal static IPersistedEvent RoundTrip(IPersistedEvent e)
    {
        Assert.True(MessageCatalog.Default.TryGetManifest(e.GetType(), out var manifest), $"{e.GetType().Name} is not registered");
        Assert.True(MessageCatalog.Default.TryGetType(manifest, out var type));
        var json = JsonSerializer.Serialize(e, e.GetType(), Json);
        return (IPersistedEvent)JsonSerializer.Deserialize(json, type, Json)!;
    }
}
