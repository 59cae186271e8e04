using System.Text.Json;
using Microsoft.Extensions.Options;
using Orchestrator.Api.Contracts;
using Orchestrator.Api.Contracts.Councils;
using Orchestrator.Api.Contracts.Sessions;
using Orchestrator.Core.Agents;
using Orchestrator.Core.Context;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Lessons;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Streams;
using Orchestrator.Messages.Sessions;
using Orchestrator.Node.Api;
using Orchestrator.Node.Api.Mapping;
using static Orchestrator.Core.Agents.AgentReplies;
using static Orchestrator.Core.Lessons.LessonReplies;
using static Orchestrator.Core.Management.ManagementQueries;
using static Orchestrator.Core.Sessions.SessionLiveMessages;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Node.Tests.Api;

/// <summary>The API's contracts keep the wire format the node wrote before them: each engine reply the node used to
/// serialize as it was gives the same JSON, byte for byte, as the contract the node now maps it to.</summary>
public sealed class ContractWireSpec
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 10, 30, 0, TimeSpan.Zero);

    private static void SameJson(object before, object after) =>
        Assert.Equal(JsonSerializer.Serialize(before, before.GetType(), ApiJson.Options),
            JsonSerializer.Serialize(after, after.GetType(), ApiJson.Options));

    private static SessionStatus Status(SessionLifecycle lifecycle, double? best) =>
        new("s-1", lifecycle, "manuscript-review", 2, 5, 3, 1, 0, 1, 1234, best, best is null ? null : "quality reached");

    [Fact]
    public void Session_status_list_and_tokens_keep_their_json()
    {
        foreach (var lifecycle in Enum.GetValues<SessionLifecycle>())
            SameJson(Status(lifecycle, 0.875), Status(lifecycle, 0.875).ToDto());
        SameJson(Status(SessionLifecycle.Running, null), Status(SessionLifecycle.Running, null).ToDto());

        var list = new SessionList([new SessionSummary("s-1", "t", SessionLifecycle.Completed, At, At.AddMinutes(5), 2, 0.9, "done"),
            new SessionSummary("s-2", "t", SessionLifecycle.Running, At, At, 1, null, null)], "cursor");
        SameJson(list, list.ToDto());
        SameJson(new SessionList([], null), new SessionList([], null).ToDto());

        SameJson(new TaskTokens("s-1", "a", 1, 3, "tok"), new TaskTokens("s-1", "a", 1, 3, "tok").ToDto());
        SameJson(new TaskTokens("s-1", "a", 1, 3, "tok", "1/2/dev"), new TaskTokens("s-1", "a", 1, 3, "tok", "1/2/dev").ToDto());
    }

    [Fact]
    public void Session_detail_keeps_the_status_fields_then_inputs_and_tasks()
    {
        var tasks = Enum.GetValues<TaskRunState>()
            .Select((state, i) => new TaskView($"t{i}", "DEV", i == 0 ? "per-task" : null, i == 0 ? [] : ["t0"], state, i, i / 2,
                i == 0 ? null : "tiny", i == 4 ? "{\"ok\":true}" : null, i == 5 ? "no JSON" : null))
            .ToList();
        var detail = new SessionDetail(Status(SessionLifecycle.Running, 0.5), new Dictionary<string, string> { ["MANUSCRIPT"] = "Once." }, At, tasks);

        string Json<T>(T value) => JsonSerializer.Serialize(value, ApiJson.Options);
        var expected = Json(detail.Status)[..^1] + $",\"createdAt\":{Json(detail.CreatedAt)},\"inputs\":{Json(detail.Inputs)},\"tasks\":{Json(detail.Tasks)}}}";
        Assert.Equal(expected, Json(detail.ToDto()));
        Assert.Contains("\"state\":\"retry_waiting\"", JsonSerializer.Serialize(detail.ToDto(), ApiJson.Options));
    }

    [Fact]
    public void Template_settings_keep_their_json_with_and_without_a_context()
    {
        SameJson(SessionSettings.Defaults, SessionSettings.Defaults.ToDto());
        var shared = SessionSettings.Defaults with
        {
            TimeBudget = TimeSpan.FromMinutes(90),
            TokenBudget = 50_000,
            ScorerNode = "score",
            Context = new SessionContextSettings(true, new ContextSettings(4000, 3000, "SUMMARIZER", "en", 3)),
        };
        SameJson(shared, shared.ToDto());
    }

    [Fact]
    public void Agents_profiles_performance_and_analytics_keep_their_json()
    {
        var profile = new AgentProfile("dev-1", "DEV", ["code", "review"], "tiny", 2, new Dictionary<string, double> { ["code"] = 0.8 });
        SameJson(profile, profile.ToDto());
        SameJson(PerformanceStats.Empty, PerformanceStats.Empty.ToDto());
        var learned = PerformanceStats.Empty.Record(true, TimeSpan.FromMilliseconds(850), 120, 0.2, At).RecordQuality(0.7, 0.2, At);
        SameJson(learned, learned.ToDto());

        var analytics = new AgentAnalytics([new AgentKindPerformance("dev-1", "*", learned), new AgentKindPerformance("dev-1", "code", PerformanceStats.Empty)]);
        SameJson(analytics.Entries.Select(e => new { agent = e.Agent, kind = e.Kind, performance = e.Stats }).ToList(), analytics.ToDto());
    }

    [Fact]
    public void Councils_keep_their_json_with_snake_case_enums()
    {
        foreach (var selector in Enum.GetValues<CouncilSelectorKind>())
            foreach (var consensus in Enum.GetValues<CouncilConsensus>())
            {
                var spec = new CouncilSpec([new CouncilMember("dev", "DEV"), new CouncilMember("qa", "QA", "tiny")], 2, selector,
                    selector == CouncilSelectorKind.Agent ? "ARCHITECT" : null, consensus, "be strict", MemberTimeout: TimeSpan.FromSeconds(45));
                var definition = new CouncilDefinition("DEV", spec, At);
                var before = new
                {
                    role = definition.Role,
                    members = spec.Members,
                    rounds = spec.Rounds,
                    selector = spec.Selector,
                    selectorRole = spec.SelectorRole,
                    consensus = spec.Consensus,
                    rubric = spec.Rubric,
                    memberTimeoutSeconds = spec.MemberTimeout?.TotalSeconds,
                    createdAt = definition.CreatedAt,
                };
                SameJson(before, definition.ToDto());
            }
        Assert.Contains("\"consensus\":\"all_approve\"",
            JsonSerializer.Serialize(new CouncilDefinition("DEV", new CouncilSpec([]), At).ToDto(), ApiJson.Options));
    }

    [Fact]
    public void Lessons_keep_their_json_with_the_indexed_text()
    {
        var list = new LessonList(7, [new Lesson("lesson-1", "sql", "slow query", "an index", Lesson.FromFailure, "s-1", "t", At),
            new Lesson("lesson-2", "code", "no tests", "tests", Lesson.FromCritique, null, null, At)]);
        SameJson(list, list.ToDto());
        Assert.Contains("\"text\":\"sql slow query an index\"", JsonSerializer.Serialize(list.ToDto(), ApiJson.Options));
    }

    [Fact]
    public void Cluster_state_and_actor_tree_keep_their_json()
    {
        var state = new ClusterState("akka.tcp://orchestrator@127.0.0.1:9111", null,
            [new ClusterMember("akka.tcp://orchestrator@127.0.0.1:9111", "Up", ["sessions"], true, true, true)]);
        SameJson(state, state.ToDto());
        var tree = new ActorHierarchy("node-1", [new ActorNode("/user", "GuardianActor", 0, 2,
            [new ActorNode("/user/management", "ManagementActor", 3, 0, [])])]);
        SameJson(tree, tree.ToDto());
    }

    [Fact]
    public void Every_engine_enum_member_has_a_contract_member_of_the_same_name()
    {
        Assert.All(Enum.GetValues<SessionLifecycle>(), v => Assert.Equal(v.ToString(), v.ToDto().ToString()));
        Assert.All(Enum.GetValues<TaskRunState>(), v => Assert.Equal(v.ToString(), v.ToDto().ToString()));
        Assert.Equal(Enum.GetNames<SessionLifecycle>(), Enum.GetNames<SessionLifecycleDto>());
        Assert.Equal(Enum.GetNames<TaskRunState>(), Enum.GetNames<TaskStateDto>());
        Assert.Equal(Enum.GetNames<CouncilSelectorKind>(), Enum.GetNames<CouncilSelectorDto>());
        Assert.Equal(Enum.GetNames<CouncilConsensus>(), Enum.GetNames<CouncilConsensusDto>());
    }

    [Fact]
    public void The_node_s_http_json_options_write_as_ApiJson_does()
    {
        using var services = new ServiceCollection().AddOrchestratorApi().BuildServiceProvider();
        var http = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var sample = new SessionDetail(Status(SessionLifecycle.Cancelled, 0.25), new Dictionary<string, string> { ["Input"] = "x+y <b> it's" }, At,
            [new TaskView("a", "DEV", null, [], TaskRunState.RetryWaiting, 1, 1, null, null, "boom")]).ToDto();

        Assert.Equal(JsonSerializer.Serialize(sample, http), JsonSerializer.Serialize(sample, ApiJson.Options));
        Assert.Contains("\"x+y <b> it's\"", JsonSerializer.Serialize(sample, ApiJson.Options));
    }

    [Fact]
    public void Events_carried_as_json_are_written_as_the_event_itself()
    {
        var e = new TaskTokens("s-1", "a", 1, 0, "x");
        Assert.Equal(JsonSerializer.Serialize<object>(e, ApiJson.Options), EventJson.Of(e).GetRawText());
    }
}
