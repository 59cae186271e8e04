using System.Collections.Immutable;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Agents.AgentCommands;

namespace Orchestrator.Core.Sessions;

/// <summary>The snapshot of a session: <see cref="SessionState"/> as plain data. Indexes (ready set, retry queue,
/// dependents, tasks in flight, questions to ask and waiting) are rebuilt from the tasks when it is loaded. <c>Conversation</c> is the session's shared history (none when the session shares none); <c>Transcripts</c> the council and group chat
/// transcripts of nodes still deliberating (none when no node is), so a session restarted from the snapshot goes on with
/// them rather than deliberating again; <c>RecentOutcomes</c> and <c>RecentVerdicts</c> the attempt outcomes and the
/// scorer's verdicts written within the agent registry's window, which a session recovered from the snapshot reports
/// again as it does those it replays (one written just before a crash may never have reached the registry, which counts
/// each once).</summary>
public static class SessionSnapshots
{
    /// <summary>A session's state at a sequence number; tasks in plan order.</summary>
    public sealed record SessionSnapshot(
        string SessionId,
        SessionLifecycle Lifecycle,
        ResolvedWorkflow? Workflow,
        IReadOnlyDictionary<string, string> Inputs,
        DateTimeOffset? CreatedAt,
        int Iteration,
        DateTimeOffset? IterationStartedAt,
        long TokensUsed,
        long IterationTokens,
        int IterationTasksRun,
        int IterationTasksFailed,
        int SessionRetriesUsed,
        int Warnings,
        long ReadyCounter,
        IReadOnlyList<TaskState> Tasks,
        IReadOnlyDictionary<TaskId, string> PendingSkips,
        IReadOnlyDictionary<string, DateTimeOffset> LastDispatchByModel,
        IReadOnlyList<IterationMetrics> History,
        double? BestScore,
        int IterationsWithoutImprovement,
        double? FinalScore,
        string? EndReason,
        Orchestrator.Core.Sessions.SessionConversation? Conversation = null,
        Orchestrator.Core.Sessions.DeliberationTranscripts? Transcripts = null,
        IReadOnlyList<RecordTaskOutcome>? RecentOutcomes = null,
        IReadOnlyList<RecordQuality>? RecentVerdicts = null) : ISnapshotState
    {
        /// <summary>The reports to the agent registry this snapshot holds, outcomes then verdicts.</summary>
        public IEnumerable<IAgentReport> RecentReports =>
            [.. RecentOutcomes ?? [], .. RecentVerdicts ?? []];

        /// <summary>This snapshot holding <paramref name="reports"/> (none: null fields, as an old snapshot reads).</summary>
        public SessionSnapshot WithRecentReports(IReadOnlyCollection<IAgentReport> reports) => this with
        {
            RecentOutcomes = reports.OfType<RecordTaskOutcome>().ToList() is { Count: > 0 } o ? o : null,
            RecentVerdicts = reports.OfType<RecordQuality>().ToList() is { Count: > 0 } v ? v : null,
        };
    }

    internal static IEnumerable<MessageManifest> Manifests => [new("session-snapshot.v1", typeof(SessionSnapshot))];

    extension(SessionState state)
    {
        /// <summary>This state as a snapshot, in a deterministic order (equal states give equal JSON).</summary>
        public SessionSnapshot ToSnapshot() => new(
            state.SessionId, state.Lifecycle, state.Workflow,
            new SortedDictionary<string, string>(state.Inputs.ToDictionary(), StringComparer.Ordinal),
            state.CreatedAt, state.Iteration, state.IterationStartedAt, state.TokensUsed, state.IterationTokens,
            state.IterationTasksRun, state.IterationTasksFailed, state.SessionRetriesUsed, state.Warnings, state.ReadyCounter,
            state.Tasks.Values.OrderBy(t => t.Order).ToList(),
            new SortedDictionary<TaskId, string>(state.PendingSkips),
            new SortedDictionary<string, DateTimeOffset>(state.LastDispatchByModel, StringComparer.Ordinal),
            state.History, state.BestScore, state.IterationsWithoutImprovement, state.FinalScore, state.EndReason,
            state.Conversation.Enabled ? state.Conversation : null,
            state.Transcripts.IsEmpty ? null : state.Transcripts);

        /// <summary>The state a snapshot holds, with its indexes rebuilt in O(n log n).</summary>
        public static SessionState FromSnapshot(SessionSnapshot s) => Restore(s);

        private static SessionState Restore(SessionSnapshot s)
        {
            var tasks = ImmutableDictionary.CreateBuilder<TaskId, TaskState>();
            var dependents = new Dictionary<TaskId, List<TaskId>>();
            var ready = ImmutableSortedSet.CreateBuilder<ReadyEntry>();
            var retries = ImmutableSortedSet.CreateBuilder<RetryEntry>();
            var inFlight = ImmutableHashSet.CreateBuilder<TaskId>();
            var questions = ImmutableSortedSet.CreateBuilder<ReadyEntry>();
            var awaiting = ImmutableHashSet.CreateBuilder<TaskId>();
            int succeeded = 0, failed = 0, skipped = 0;
            foreach (var t in s.Tasks.OrderBy(t => t.Order))
            {
                tasks[t.Spec.Id] = t;
                foreach (var dep in t.Spec.DependencyIds())
                {
                    if (!dependents.TryGetValue(dep, out var list)) dependents[dep] = list = [];
                    list.Add(t.Spec.Id);
                }
                switch (t.State)
                {
                    case TaskRunState.Ready:
                        (t.Spec.Human is null ? ready : questions).Add(new ReadyEntry(t.Spec.Priority, t.ReadySequence, t.Spec.Id));
                        break;
                    case TaskRunState.Waiting: awaiting.Add(t.Spec.Id); break;
                    case TaskRunState.RetryWaiting when t.RetryAt is { } at: retries.Add(new RetryEntry(at, t.Spec.Priority, t.Spec.Id)); break;
                    case TaskRunState.Dispatched: inFlight.Add(t.Spec.Id); break;
                    case TaskRunState.Succeeded: succeeded++; break;
                    case TaskRunState.Failed: failed++; break;
                    case TaskRunState.Skipped: skipped++; break;
                }
            }
            return new SessionState
            {
                SessionId = s.SessionId,
                Id = SessionId.TryParse(s.SessionId, out var id) ? id : default,
                Lifecycle = s.Lifecycle,
                Workflow = s.Workflow,
                Inputs = s.Inputs,
                CreatedAt = s.CreatedAt,
                Iteration = s.Iteration,
                IterationStartedAt = s.IterationStartedAt,
                TokensUsed = s.TokensUsed,
                IterationTokens = s.IterationTokens,
                IterationTasksRun = s.IterationTasksRun,
                IterationTasksFailed = s.IterationTasksFailed,
                SessionRetriesUsed = s.SessionRetriesUsed,
                Warnings = s.Warnings,
                ReadyCounter = s.ReadyCounter,
                Tasks = tasks.ToImmutable(),
                Dependents = dependents.ToImmutableDictionary(kv => kv.Key, kv => kv.Value.ToImmutableList()),
                Ready = ready.ToImmutable(),
                RetryQueue = retries.ToImmutable(),
                InFlight = inFlight.ToImmutable(),
                Questions = questions.ToImmutable(),
                Awaiting = awaiting.ToImmutable(),
                PendingSkips = s.PendingSkips.ToImmutableSortedDictionary(),
                LastDispatchByModel = s.LastDispatchByModel.ToImmutableDictionary(StringComparer.Ordinal),
                Succeeded = succeeded,
                Failed = failed,
                Skipped = skipped,
                History = [.. s.History],
                BestScore = s.BestScore,
                IterationsWithoutImprovement = s.IterationsWithoutImprovement,
                FinalScore = s.FinalScore,
                EndReason = s.EndReason,
                Conversation = s.Conversation ?? Orchestrator.Core.Sessions.SessionConversation.Empty,
                Transcripts = s.Transcripts ?? Orchestrator.Core.Sessions.DeliberationTranscripts.Empty,
            };
        }
    }
}
