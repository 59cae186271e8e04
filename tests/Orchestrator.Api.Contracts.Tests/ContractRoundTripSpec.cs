using System.Text.Json;
using Orchestrator.Api.Contracts;
using Orchestrator.Api.Contracts.Agents;
using Orchestrator.Api.Contracts.Cluster;
using Orchestrator.Api.Contracts.Councils;
using Orchestrator.Api.Contracts.Diagnostics;
using Orchestrator.Api.Contracts.Lessons;
using Orchestrator.Api.Contracts.Models;
using Orchestrator.Api.Contracts.Sessions;
using Orchestrator.Api.Contracts.Templates;

namespace Orchestrator.Api.Contracts.Tests;

/// <summary>Every contract goes through <see cref="ApiJson"/> and back unchanged, under the wire names the API has always
/// used (camelCase, in declaration order), with enums as snake_case strings.</summary>
public sealed class ContractRoundTripSpec
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 10, 30, 0, TimeSpan.Zero);

    private static readonly PerformanceDto Performance = new(4, 3, 0.75, 850.5, 3, 41.2, 2, 0.6, At);

    private static readonly JsonElement Event = JsonDocument.Parse("""{"sessionId":"s-1","taskId":"a","attempt":1}""").RootElement.Clone();

    /// <summary>One sample of each contract with the names it has on the wire.</summary>
    public static TheoryData<string, object, string[]> Samples() => new()
    {
        { "ProblemDto", new ProblemDto("about:blank", "Not found", 404, "No session 'x'.", "/api/sessions/x"), ["type", "title", "status", "detail", "instance"] },
        { "DeletedDto", new DeletedDto("dev-1"), ["deleted"] },
        { "StartSessionRequest", new StartSessionRequest("manuscript-review", new Dictionary<string, string> { ["MANUSCRIPT"] = "Once." }, "s-1"), ["template", "inputs", "id"] },
        { "SessionCreatedDto", new SessionCreatedDto("s-1"), ["id"] },
        { "CancelSessionRequest", new CancelSessionRequest("enough"), ["reason"] },
        { "SessionStatusDto", new SessionStatusDto("s-1", SessionLifecycleDto.Running, "t", 2, 5, 3, 1, 0, 1, 1234, 0.875, null, 1),
            ["sessionId", "lifecycle", "template", "iteration", "totalTasks", "succeeded", "failed", "skipped", "inFlight", "tokensUsed", "bestScore", "endReason",
             "awaitingAnswer"] },
        { "SessionDetailDto", new SessionDetailDto("s-1", SessionLifecycleDto.Completed, "t", 1, 1, 1, 0, 0, 0, 10, null, "done", 0, At,
                new Dictionary<string, string> { ["A"] = "b" },
                [new TaskDto("a", "DEV", "per-task", ["x"], TaskStateDto.RetryWaiting, 2, 1, "tiny", null, "no JSON")]),
            ["sessionId", "lifecycle", "template", "iteration", "totalTasks", "succeeded", "failed", "skipped", "inFlight", "tokensUsed", "bestScore",
             "endReason", "awaitingAnswer", "createdAt", "inputs", "tasks"] },
        { "TaskDto", new TaskDto("a", "DEV", null, [], TaskStateDto.Succeeded, 1, 0, "tiny", "{}", null, "dev-fast"),
            ["id", "agentRole", "phase", "dependsOn", "state", "attempt", "failures", "model", "output", "lastError", "agent", "question"] },
        { "HumanQuestionDto", new HumanQuestionDto("How many pages?", "value", """{"type": "integer"}""", At), ["text", "answer", "schema", "deadline"] },
        { "AnswerRequest", new AnswerRequest(Reject: "not yet"), ["approve", "reject", "value"] },
        { "SessionSummaryDto", new SessionSummaryDto("s-1", "t", SessionLifecycleDto.Failed, At, At, 1, null, "boom"),
            ["sessionId", "template", "lifecycle", "createdAt", "updatedAt", "iteration", "bestScore", "endReason"] },
        { "SessionPageDto", new SessionPageDto([new SessionSummaryDto("s-1", "t", SessionLifecycleDto.Paused, At, At, 1, 0.5, null)], "c2"), ["sessions", "next"] },
        { "SessionEventDto", new SessionEventDto("s-1", 3, "task-dispatched.v1", Event), ["sessionId", "sequenceNr", "manifest", "event"] },
        { "SessionEventBodyDto", new SessionEventBodyDto("a", 1, "tiny", 12, "why", true, 2, ["a"], new IterationScoreDto(2, 0.9), 0.9,
                [new PlannedTaskRefDto("a", "per-task")], "dev-fast"),
            ["taskId", "attempt", "model", "tokens", "reason", "retryable", "iteration", "taskIds", "metrics", "finalScore", "tasks", "agent"] },
        { "IterationScoreDto", new IterationScoreDto(1, null), ["iteration", "score"] },
        { "PlannedTaskRefDto", new PlannedTaskRefDto("a", null), ["id", "phase"] },
        { "TaskTokensDto", new TaskTokensDto("s-1", "a", 1, 0, "tok", "1/2/dev"), ["sessionId", "taskId", "attempt", "index", "text", "member"] },
        { "DroppedDto", new DroppedDto(7), ["count"] },
        { "StreamEndDto", new StreamEndDto(StreamEndDto.Outage, "The journal's database failed."), ["reason", "message"] },
        { "TemplateSummaryDto", new TemplateSummaryDto("manuscript-review", "Reviews", "base-analysis", 6), ["name", "description", "extends", "nodes"] },
        { "TemplateDto", new TemplateDto("t", null, false, ["t", "base"], [new TemplateVariableDto("A", null, true, "the text")],
                new SessionSettingsDto(4, TimeSpan.Zero, null, null, 0.8, 1, 2, 100, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), null, 2),
                [new TemplateNodeDto("a", "DEV", "Do {{A}}", [], 0, 120, 2, null, null)]),
            ["name", "description", "abstract", "lineage", "variables", "settings", "nodes"] },
        { "TemplateVariableDto", new TemplateVariableDto("A", "x", false, null), ["name", "default", "required", "description"] },
        { "TemplateNodeDto", new TemplateNodeDto("a", "DEV", "p", ["b"], 1, 90.5, 0, "per-task", "{}"),
            ["id", "role", "prompt", "dependsOn", "priority", "timeoutSeconds", "retries", "phase", "outputSchema"] },
        { "SessionSettingsDto", new SessionSettingsDto(4, TimeSpan.FromMilliseconds(250), TimeSpan.FromHours(1), 5000, 0.8, 3, 2, 100,
                TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), "score", 2,
                new SessionContextSettingsDto(true, new ContextLimitsDto(12000, 8000, "SUMMARIZER", "en", 2))),
            ["maxConcurrentTasks", "dispatchSpacing", "timeBudget", "tokenBudget", "qualityThreshold", "maxIterations", "maxIterationsWithoutImprovement",
             "maxSessionRetries", "retryBaseDelay", "retryMaxDelay", "scorerNode", "tasksPerIteration", "context"] },
        { "SessionContextSettingsDto", new SessionContextSettingsDto(false, new ContextLimitsDto(200, 1, null, null, 0)), ["shareHistory", "limits"] },
        { "ContextLimitsDto", new ContextLimitsDto(12000, 8000, null, "fr", 2), ["maxChars", "summarizeAboveChars", "summarizerRole", "language", "keepRecentTurns"] },
        { "TemplateProblemDto", new TemplateProblemDto("unknown-dependency", "a depends on ghost", 4), ["code", "message", "line"] },
        { "TemplateValidationDto", new TemplateValidationDto(false, "bad", [new TemplateProblemDto("x", "y", null)]), ["valid", "template", "problems"] },
        { "RegisterAgentRequest", new RegisterAgentRequest("dev-1", "DEV", ["code"], "tiny", 2, new Dictionary<string, double> { ["code"] = 0.8 }),
            ["name", "role", "capabilities", "model", "maxConcurrentTasks", "specialization"] },
        { "UpdateAgentRequest", new UpdateAgentRequest(null, null, "tiny", 4, null), ["role", "capabilities", "model", "maxConcurrentTasks", "specialization"] },
        { "AgentProfileDto", new AgentProfileDto("dev-1", "DEV", [], "tiny", 1, new Dictionary<string, double>()),
            ["name", "role", "capabilities", "model", "maxConcurrentTasks", "specialization"] },
        { "AgentDto", new AgentDto("dev-1", "DEV", ["code"], "tiny", 2, new Dictionary<string, double> { ["code"] = 0.8 }, true, 1, 1, Performance,
                [new KindPerformanceDto("dev-1", "*", Performance)]),
            ["name", "role", "capabilities", "model", "maxConcurrentTasks", "specialization", "healthy", "inFlight", "freeSlots", "performance", "kinds"] },
        { "AgentListDto", new AgentListDto([]), ["agents"] },
        { "PerformanceDto", Performance,
            ["samples", "successes", "successRate", "latencyMs", "timedSamples", "tokensPerSecond", "qualitySamples", "quality", "lastAt"] },
        { "KindPerformanceDto", new KindPerformanceDto("dev-1", "code", Performance), ["agent", "kind", "performance"] },
        { "AgentAnalyticsDto", new AgentAnalyticsDto([new KindPerformanceDto("dev-1", "code", Performance)]), ["entries"] },
        { "CouncilMemberRequest", new CouncilMemberRequest(null, "DEV", "tiny"), ["name", "role", "model"] },
        { "CreateCouncilRequest", new CreateCouncilRequest("DEV", [new CouncilMemberRequest("a", "DEV", null)], 2, "agent", "QA", "all-approve", null, 60),
            ["role", "members", "rounds", "selector", "selectorRole", "consensus", "rubric", "memberTimeoutSeconds"] },
        { "CouncilMemberDto", new CouncilMemberDto("dev", "DEV"), ["name", "role", "model"] },
        { "CouncilDto", new CouncilDto("DEV", [new CouncilMemberDto("dev", "DEV", "tiny")], 2, CouncilSelectorDto.Agent, "QA", CouncilConsensusDto.SameAnswer,
                "be strict", 45, At),
            ["role", "members", "rounds", "selector", "selectorRole", "consensus", "rubric", "memberTimeoutSeconds", "createdAt"] },
        { "CouncilListDto", new CouncilListDto([]), ["councils"] },
        { "LessonDto", new LessonDto("lesson-1", "sql", "slow", "an index", "failure", "s-1", "t", At, "sql slow an index"),
            ["id", "taskKind", "whatWentWrong", "whatFixedIt", "trigger", "sessionId", "taskId", "at", "text"] },
        { "LessonListDto", new LessonListDto(1, [new LessonDto("lesson-1", "sql", "slow", "an index", "critique", null, null, At, "sql slow an index")]),
            ["total", "lessons"] },
        { "RankedLessonDto", new RankedLessonDto("lesson-1", "sql", "slow", "an index", "failure", null, null, At, 1.2345),
            ["id", "taskKind", "whatWentWrong", "whatFixedIt", "trigger", "sessionId", "taskId", "at", "score"] },
        { "LessonSearchDto", new LessonSearchDto([]), ["lessons"] },
        { "ModelInfoDto", new ModelInfoDto("tiny", "models/tiny.gguf", 2048, 4, 2, true, "avx2", "failed", "bad magic"), ["name", "path", "contextSize", "sequences", "threads", "loaded", "nativeVariant", "state", "reason"] },
        { "ModelListDto", new ModelListDto([new ModelInfoDto("tiny", "m.gguf", 256, 1, 1, false)]), ["models"] },
        { "ModelStatsDto", new ModelStatsDto("tiny", true, 2, 1, 4, 12.5, 10, 1000, 20, 1, 0, "avx2"),
            ["model", "loaded", "queueLength", "activeSequences", "sequences", "tokensPerSecond", "rateWindowSeconds", "tokensGenerated", "requestsServed",
             "requestsFailed", "requestsRejected", "nativeVariant"] },
        { "ClusterMemberDto", new ClusterMemberDto("akka.tcp://o@127.0.0.1:9111", "Up", ["sessions"], true, true, true),
            ["address", "status", "roles", "reachable", "isLeader", "isSelf"] },
        { "ClusterStateDto", new ClusterStateDto("akka.tcp://o@127.0.0.1:9111", null, []), ["self", "leader", "members"] },
        { "LeavingDto", new LeavingDto("akka.tcp://o@127.0.0.1:9111"), ["leaving"] },
        { "DownedDto", new DownedDto(["akka.tcp://o@127.0.0.1:9112"]), ["downed"] },
        { "ShardDto", new ShardDto("3", 2), ["shardId", "entities"] },
        { "RegionDto", new RegionDto("akka.tcp://o@127.0.0.1:9111", true, 1, 2, [new ShardDto("3", 2)], ["7"]),
            ["address", "isSelf", "shards", "entities", "shardStats", "failed"] },
        { "ShardingDto", new ShardingDto("session", 1, 2, []), ["typeName", "shards", "entities", "regions"] },
        { "ActorNodeDto", new ActorNodeDto("/user/management", "ManagementActor", 0, 1, [new ActorNodeDto("/user/management/x", "X", 3, 0, [])]),
            ["path", "type", "mailboxDepth", "childCount", "children"] },
        { "ActorHierarchyDto", new ActorHierarchyDto("akka.tcp://o@127.0.0.1:9111", []), ["node", "roots"] },
        { "JournalEntryDto", new JournalEntryDto(3, 17, At, "task-dispatched.v1", Event), ["sequenceNr", "offset", "timestamp", "manifest", "event"] },
        { "JournalPageDto", new JournalPageDto("session-s-1", [new JournalEntryDto(1, 2, At, "SomethingElse", null)]), ["persistenceId", "events"] },
        { "FeedEventDto", new FeedEventDto(17, "session-s-1", 3, "task-dispatched.v1", Event), ["ordering", "persistenceId", "sequenceNr", "manifest", "event"] },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_contract_round_trips_under_its_wire_names(string name, object sample, string[] wireNames)
    {
        Assert.Equal(name, sample.GetType().Name);
        var json = JsonSerializer.Serialize(sample, sample.GetType(), ApiJson.Options);

        var names = JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name);
        Assert.Equal(wireNames, names);

        var back = JsonSerializer.Deserialize(json, sample.GetType(), ApiJson.Options)!;
        Assert.Equal(json, JsonSerializer.Serialize(back, sample.GetType(), ApiJson.Options));
    }

    [Fact]
    public void Every_contract_record_has_a_sample()
    {
        var sampled = Samples().Select(row => (string)row[0]).ToHashSet();
        var records = typeof(ApiJson).Assembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false }).Select(t => t.Name);

        Assert.Equal([], records.Where(r => !sampled.Contains(r)).Order().ToList());
    }

    [Fact]
    public void Every_public_type_is_a_sealed_record_an_enum_or_ApiJson()
    {
        foreach (var type in typeof(ApiJson).Assembly.GetExportedTypes())
            Assert.True(type.IsEnum || type == typeof(ApiJson) || (type.IsSealed && type.GetMethod("<Clone>$") is not null),
                $"{type.FullName} is neither a sealed record nor an enum");
    }

    [Theory]
    [InlineData(SessionLifecycleDto.Cancelled, "cancelled")]
    [InlineData(TaskStateDto.RetryWaiting, "retry_waiting")]
    [InlineData(CouncilConsensusDto.AllApprove, "all_approve")]
    [InlineData(CouncilConsensusDto.SameAnswer, "same_answer")]
    [InlineData(CouncilSelectorDto.Rubric, "rubric")]
    public void Enums_are_snake_case_strings_on_the_wire_and_by_name(object value, string wire)
    {
        Assert.Equal($"\"{wire}\"", JsonSerializer.Serialize(value, value.GetType(), ApiJson.Options));
        Assert.Equal(value, JsonSerializer.Deserialize($"\"{wire}\"", value.GetType(), ApiJson.Options));
        var name = typeof(ApiJson).GetMethod(nameof(ApiJson.Name))!.MakeGenericMethod(value.GetType()).Invoke(null, [value]);
        Assert.Equal(wire, name);
    }

    [Fact]
    public void Reading_is_lenient_as_the_web_defaults_are_case_and_missing_fields_alike()
    {
        var status = JsonSerializer.Deserialize<SessionStatusDto>("""{"SessionId":"s-1","lifecycle":"running","totalTasks":"3"}""", ApiJson.Options)!;

        Assert.Equal(("s-1", SessionLifecycleDto.Running, 3, null), (status.SessionId, status.Lifecycle, status.TotalTasks, status.EndReason));
    }

    [Fact]
    public void Durations_are_written_as_constant_format_text()
    {
        var json = JsonSerializer.Serialize(new SessionSettingsDto(4, TimeSpan.FromMilliseconds(250), TimeSpan.FromDays(1.5), null, 0.8, 1, 2, 100,
            TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), null, 2), ApiJson.Options);

        Assert.Contains("\"dispatchSpacing\":\"00:00:00.2500000\"", json);
        Assert.Contains("\"timeBudget\":\"1.12:00:00\"", json);
        Assert.Contains("\"context\":null", json);
    }

    [Fact]
    public void Text_is_escaped_only_where_json_needs_it_as_aspnet_core_writes_it()
    {
        Assert.Equal("""{"deleted":"it's <b> & +1 é \"q\""}""", JsonSerializer.Serialize(new DeletedDto("it's <b> & +1 é \"q\""), ApiJson.Options));
    }

    [Fact]
    public void The_shared_options_are_read_only()
    {
        Assert.True(ApiJson.Options.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => ApiJson.Options.WriteIndented = true);
    }
}
