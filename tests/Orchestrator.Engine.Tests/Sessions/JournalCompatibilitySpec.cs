using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Serialization;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;
using Orchestrator.Messages.Sessions;
using Xunit.Abstractions;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>A journal written before a change replays after it. <c>Fixtures/sessions-journal-2026-12-04.jsonl</c> holds
/// every row that a node of 2026-12-04 (commit 1fe786b) wrote for five sessions on a tiny generated model: the demo
/// (manuscript-review: a fan-out, a scorer, an iteration), docs-generation (a planner's task list expanded into tasks,
/// a task failing for good, its dependents skipped), code-council (two councils deliberating, transcripts) and two
/// sessions whose model was missing (failures and skips). <c>sessions-expected-2026-12-04.json</c> is what that node's
/// API answered for each session once it had ended. Each row is read back through the node's serializer by its stored
/// manifest, persisted again, and a <see cref="SessionCoordinator"/> recovers it: it must answer what that node did.</summary>
public sealed class JournalCompatibilitySpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    private sealed record Row(string PersistenceId, long SequenceNr, string Manifest, JsonElement Payload);

    private static IReadOnlyList<Row> Rows() =>
        File.ReadLines(Path.Combine(Fixtures, "sessions-journal-2026-12-04.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<Row>(line, new JsonSerializerOptions(JsonSerializerDefaults.Web))!)
            .ToList();

    private object Read(OrchestratorJsonSerializer serializer, Row row) =>
        serializer.FromBinary(Encoding.UTF8.GetBytes(row.Payload.GetRawText()), row.Manifest);

    [Fact]
    public void Every_stored_row_reads_back_through_its_manifest()
    {
        var serializer = new OrchestratorJsonSerializer((ExtendedActorSystem)Sys);
        var rows = Rows();

        Assert.Equal(117, rows.Count);
        foreach (var row in rows)
            Assert.IsAssignableFrom<IPersistedEvent>(Read(serializer, row));
    }

    [Theory]
    [InlineData("demo-20261204-171818")]
    [InlineData("fixture-docs")]
    [InlineData("fixture-council")]
    [InlineData("fixture-docs2")]
    [InlineData("fixture-council2")]
    public async Task A_session_recovered_from_the_old_journal_answers_as_it_did(string sessionId)
    {
        var serializer = new OrchestratorJsonSerializer((ExtendedActorSystem)Sys);
        var events = Rows().Where(r => r.PersistenceId == SessionId.Parse(sessionId).PersistenceId)
            .OrderBy(r => r.SequenceNr).Select(r => Read(serializer, r)).ToList();
        Assert.NotEmpty(events);
        var writer = Sys.ActorOf(Props.Create(() => new JournalWriter(SessionId.Parse(sessionId).PersistenceId, events)));
        writer.Tell(JournalWriter.Written.Instance);
        ExpectMsg<JournalWriter.Written>(TimeSpan.FromSeconds(10));
        Sys.Stop(writer);

        var runtime = new SessionRuntime(new Dictionary<string, WorkflowTemplate>(), TestActor, Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(16))),
            new LiveFeed<SessionLiveEvent>());
        var session = Sys.ActorOf(PassivatingParent.Props(SessionCoordinator.Props(sessionId, runtime), TestActor));
        var detail = await session.Ask<SessionDetail>(new GetSessionDetail(sessionId), TimeSpan.FromSeconds(10));

        using var expectedFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "sessions-expected-2026-12-04.json")));
        var expected = expectedFile.RootElement.GetProperty(sessionId);
        var status = detail.Status;
        Assert.Equal(expected.GetProperty("lifecycle").GetString(), status.Lifecycle.ToString().ToLowerInvariant());
        Assert.Equal(expected.GetProperty("template").GetString(), status.Template);
        Assert.Equal(expected.GetProperty("iteration").GetInt32(), status.Iteration);
        Assert.Equal(expected.GetProperty("totalTasks").GetInt32(), status.TotalTasks);
        Assert.Equal(expected.GetProperty("succeeded").GetInt32(), status.Succeeded);
        Assert.Equal(expected.GetProperty("failed").GetInt32(), status.Failed);
        Assert.Equal(expected.GetProperty("skipped").GetInt32(), status.Skipped);
        Assert.Equal(0, status.InFlight);
        Assert.Equal(expected.GetProperty("tokensUsed").GetInt64(), status.TokensUsed);
        Assert.Equal(expected.GetProperty("endReason").GetString(), status.EndReason);
        var bestScore = expected.GetProperty("bestScore");
        Assert.Equal(bestScore.ValueKind == JsonValueKind.Null ? (double?)null : bestScore.GetDouble(), status.BestScore);

        var tasks = expected.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(tasks.Select(t => t.GetProperty("id").GetString()), detail.Tasks.Select(t => t.Id));
        foreach (var (want, got) in tasks.Zip(detail.Tasks))
        {
            Assert.Equal(want.GetProperty("state").GetString(), got.State.ToString().ToLowerInvariant());
            Assert.Equal(want.GetProperty("attempt").GetInt32(), got.Attempt);
            Assert.Equal(want.GetProperty("failures").GetInt32(), got.Failures);
            Assert.Equal(want.GetProperty("agentRole").GetString(), got.AgentRole);
            Assert.Equal(want.GetProperty("dependsOn").EnumerateArray().Select(d => d.GetString()), got.DependsOn);
            Assert.Equal(want.GetProperty("output").GetString(), got.Output);
            Assert.Equal(want.GetProperty("lastError").GetString(), got.LastError);
        }
    }

    /// <summary>Persists the given events under a persistence id, then answers <see cref="Written"/>.</summary>
    private sealed class JournalWriter : ReceivePersistentActor
    {
        public sealed record Written
        {
            public static readonly Written Instance = new();
        }

        public JournalWriter(string persistenceId, IReadOnlyList<object> events)
        {
            PersistenceId = persistenceId;
            Command<Written>(_ =>
            {
                var sender = Sender;
                PersistAll(events, _ => { });
                DeferAsync(Written.Instance, w => sender.Tell(w));
            });
        }

        public override string PersistenceId { get; }
    }
}
