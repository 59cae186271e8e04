using Orchestrator.Core.Catalog;
using Orchestrator.Core.Decisions;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Iterations;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Protocol;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Tests.Decisions;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Tests.Sessions.SessionFixtures;
using static Orchestrator.Messages.Sessions.SessionCommands;

namespace Orchestrator.Core.Tests.Sessions;

/// <summary>Property tests: random sessions driven by random outcomes, crashes, pauses and iterations; whatever the
/// sequence, replaying its journal gives the same state, from scratch, from any snapshot, and through JSON.</summary>
public class SessionReplaySpec
{
    private static readonly WorkflowTemplate Template = SessionFixtures.Template(
        new SessionSettingsSpec(MaxConcurrentTasks: 3, RetryBaseDelay: TimeSpan.FromSeconds(1), MaxIterations: 3,
            ScorerNode: "score", QualityThreshold: 0.95, DispatchSpacing: TimeSpan.FromMilliseconds(300)),
        Node("a", priority: 2, retries: 2), Node("b", retries: 1), Node("c", priority: 1, retries: 1, deps: "a"),
        Node("d", deps: ["a", "b"], role: "writer"), Node("e", retries: 2, deps: "c", role: "writer"),
        Node("score", phase: WorkflowPhases.Scoring, deps: ["d", "e"]));

    /// <summary>Drives one random session; returns its journal and the live state the driver kept.</summary>
    private static (List<IPersistedEvent> Journal, SessionState Live) RandomSession(int seed)
    {
        var random = new Random(seed);
        var (state, start) = Started(Template, $"s{seed}");
        var journal = new List<IPersistedEvent>(start);
        var now = T0;
        void Persist(IEnumerable<IPersistedEvent> events)
        {
            foreach (var e in events) { journal.Add(e); state = state.Apply(e); }
        }

        for (var step = 0; step < 200 && !state.IsFinished; step++)
        {
            now = now.AddMilliseconds(random.Next(0, 1500));
            var roll = random.Next(100);
            if (roll < 5) Persist(state.Decide(new PauseSession(state.SessionId), now).Events);
            else if (roll < 12) Persist(state.Decide(new ResumeSession(state.SessionId), now).Events);
            else if (roll < 15)
            {
                // A crash: workers gone, journal kept; a task cut short twice in a row fails (as the coordinator does).
                state = state.RequeueInFlight();
                Persist(state.InterruptedTooOften(2, now));
            }
            else if (roll < 16) Persist(state.Decide(new CancelSession(state.SessionId, "random"), now).Events);
            else if (roll < 60 && !state.InFlight.IsEmpty)
            {
                var id = state.InFlight.Order().ElementAt(random.Next(state.InFlight.Count));
                IPersistedEvent outcome = random.Next(4) == 0
                    ? Failure(state, id, now, retryable: random.Next(3) > 0)
                    : Success(state, id, now);
                if (random.Next(10) == 0) Persist([new ProtocolWarning(state.Id, id, state.Tasks[id].Attempt, "repaired", "x", now)]);
                Persist([outcome]);
            }
            else
            {
                var outcome = GrantingNode.Next(state, new NodeContext(random.Next(0, 4), now));
                Persist(outcome.Events);
            }
            if (state.IsDagDone && !state.IsFinished && state.InFlight.IsEmpty)
            {
                var verdict = new ScorerVerdict(random.NextDouble(), "more", new Dictionary<string, double> { ["c"] = random.NextDouble() },
                    new Dictionary<string, string>());
                Persist(IterationPolicy.Evaluate(state, verdict, now).Events);
            }
        }
        return (journal, state);
    }

    [Fact]
    public void Replaying_a_journal_gives_the_state_the_session_had()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var (journal, live) = RandomSession(seed);
            var replayed = SessionState.Empty(live.SessionId).ApplyAll(journal);
            // The live state may have requeued in-flight tasks after its last "crash"; the journal knows nothing of it.
            Assert.Equal(Canonical(live.RequeueInFlight()), Canonical(replayed.RequeueInFlight()));
            Assert.Equal(Canonical(replayed), Canonical(SessionState.Empty(live.SessionId).ApplyAll(journal)));
        }
    }

    [Fact]
    public void Replaying_from_any_snapshot_gives_the_same_state()
    {
        var random = new Random(42);
        for (var seed = 0; seed < 100; seed++)
        {
            var (journal, _) = RandomSession(seed);
            var cut = random.Next(journal.Count + 1);
            var snapshot = SessionState.Empty($"s{seed}").ApplyAll(journal.Take(cut)).ToSnapshot();

            var fromSnapshot = SessionState.FromSnapshot(snapshot).ApplyAll(journal.Skip(cut));
            var fromScratch = SessionState.Empty($"s{seed}").ApplyAll(journal);

            Assert.Equal(Canonical(fromScratch), Canonical(fromSnapshot));
        }
    }

    [Fact]
    public void Events_survive_json_with_their_manifests_and_replay_the_same()
    {
        for (var seed = 0; seed < 30; seed++)
        {
            var (journal, _) = RandomSession(seed);
            var direct = SessionState.Empty($"s{seed}").ApplyAll(journal);
            var throughJson = SessionState.Empty($"s{seed}").ApplyAll(journal.Select(RoundTrip));
            Assert.Equal(Canonical(direct), Canonical(throughJson));
        }
    }

    [Fact]
    public void Random_sessions_reach_every_kind_of_event()
    {
        var kinds = Enumerable.Range(0, 200).SelectMany(seed => RandomSession(seed).Journal).Select(e => e.GetType()).ToHashSet();
        foreach (var type in new[]
                 {
                     typeof(TaskDispatched), typeof(TaskSucceeded), typeof(TaskFailed), typeof(TaskSkipped), typeof(DecisionRecorded),
                     typeof(IterationStarted), typeof(IterationCompleted), typeof(SessionPaused), typeof(SessionResumed),
                     typeof(SessionCompleted), typeof(SessionFailed), typeof(SessionCancelled), typeof(ProtocolWarning),
                 })
            Assert.Contains(type, kinds);
    }

    [Fact]
    public void Every_persisted_and_cluster_type_of_core_is_in_the_catalog()
    {
        var types = typeof(SessionState).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false }
                        && (typeof(IPersistedEvent).IsAssignableFrom(t) || typeof(ISnapshotState).IsAssignableFrom(t)
                            || typeof(IClusterMessage).IsAssignableFrom(t)));
        foreach (var type in types)
            Assert.True(MessageCatalog.Default.TryGetManifest(type, out _), $"{type.FullName} has no manifest");
    }
}
