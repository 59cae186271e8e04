using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Context;
using Orchestrator.Core.Lessons;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Lessons;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;
using Orchestrator.Messages.Sessions;
using Xunit.Abstractions;
using static Orchestrator.Core.Agents.AgentCommands;
using static Orchestrator.Core.Lessons.LessonQueries;
using static Orchestrator.Core.Lessons.LessonReplies;
using static Orchestrator.Core.Models.ModelMessages;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>Sessions report every outcome to the agent registry, record a lesson when a task succeeds after a failed
/// attempt, and give later tasks of the same kind that lesson in their prompt; without an answer from the store in time
/// a task runs without lessons.</summary>
public sealed class SessionLearningSpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static readonly WorkflowTemplate Template = new("learn",
    [
        new WorkflowNode("draft", "writer", "Draft a summary of the whales chapter", [], Retries: 2, Kind: "summary"),
    ], new SessionSettingsSpec(RetryBaseDelay: TimeSpan.FromMilliseconds(10), RetryMaxDelay: TimeSpan.FromMilliseconds(20)), []);

    private OrchestratorClient Start(string id, Func<Generate, Script> script, ScriptedModel.Log? log, IActorRef agents, LessonInjection lessons,
        out ScriptedModel.Log used, WorkflowTemplate? template = null)
    {
        var (model, l) = ScriptedModels.Start(Sys, script, $"model-{Guid.NewGuid():N}");
        used = l;
        var feed = new LiveFeed<SessionLiveEvent>();
        var runtime = new SessionRuntime(new Dictionary<string, WorkflowTemplate> { ["learn"] = template ?? Template }, model, Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(4))), feed,
            Agents: agents, Lessons: lessons);
        var session = Sys.ActorOf(PassivatingParent.Props(SessionCoordinator.Props(id, runtime), CreateTestProbe()));
        return new OrchestratorClient(session, feed, TimeSpan.FromSeconds(3));
    }

    private async Task Completes(OrchestratorClient client, string id)
    {
        (await client.StartAsync(id, "learn", new Dictionary<string, string>())).OrThrow();
        await AwaitAssertAsync(async () =>
            Assert.Equal(SessionLifecycle.Completed, (await client.StatusAsync(id)).OrThrow().Lifecycle), Deadline);
    }

    [Fact]
    public async Task A_success_after_a_failure_becomes_a_lesson_that_the_next_task_of_its_kind_is_given()
    {
        var agents = CreateTestProbe();
        var store = Sys.ActorOf(LessonStore.Props(LessonPolicy.Default, LessonStoreOptions.Default));
        var lessons = new LessonInjection(store, 3, TimeSpan.FromSeconds(3));
        var failed = false;
        var first = Start("s1", g =>
        {
            if (failed) return new Script.Reply("A short summary that names the whales and stays under fifty words.");
            failed = true;
            return new Script.Fail(FailureCodes.PoolFailed, "the reply ran past the token limit");
        }, null, agents, lessons, out var log1);

        await Completes(first, "s1");

        var outcomes = new[] { agents.ExpectMsg<RecordTaskOutcome>(Deadline), agents.ExpectMsg<RecordTaskOutcome>(Deadline) };
        Assert.Equal([false, true], outcomes.Select(o => o.Success));
        Assert.All(outcomes, o => Assert.Equal(("writer", "summary"), (o.Agent, o.Kind)));
        Assert.Equal(["s1/draft/1", "s1/draft/2"], outcomes.Select(o => o.TaskKey));
        Assert.DoesNotContain(LessonPrompt.Heading, log1.Requests.First().Prompt);

        store.Tell(new ListLessons(), TestActor);
        var lesson = Assert.Single(ExpectMsg<LessonList>(Deadline).Lessons);
        Assert.Equal("summary", lesson.TaskKind);
        Assert.Contains("the reply ran past the token limit", lesson.WhatWentWrong);
        Assert.StartsWith("A short summary", lesson.WhatFixedIt);

        var second = Start("s2", _ => new Script.Reply("ok"), null, agents, lessons, out var log2);
        await Completes(second, "s2");

        var prompt = log2.Requests.Single().Prompt!;
        Assert.StartsWith("Draft a summary of the whales chapter", prompt);
        Assert.Contains(LessonPrompt.Heading, prompt);
        Assert.Contains("the reply ran past the token limit", prompt);
    }

    [Fact]
    public async Task Lessons_never_take_a_prompt_past_the_sessions_max_chars()
    {
        const int maxChars = 200;
        var prompt = "Draft a summary of the whales chapter. " + new string('.', 150 - 39);
        var limited = Template with
        {
            Nodes = [Template.Nodes[0] with { Prompt = prompt }],
            Settings = Template.Settings with { Context = new ContextSettingsSpec(MaxChars: maxChars) },
        };
        var store = Sys.ActorOf(LessonStore.Props(LessonPolicy.Default, LessonStoreOptions.Default));
        var lessons = new LessonInjection(store, 3, TimeSpan.FromSeconds(3));
        var failed = false;
        await Completes(Start("s1", _ =>
        {
            if (failed) return new Script.Reply("A short summary that names the whales and stays under fifty words.");
            failed = true;
            return new Script.Fail(FailureCodes.PoolFailed, "the reply ran past the token limit");
        }, null, CreateTestProbe(), lessons, out _, limited), "s1");
        store.Tell(new ListLessons(), TestActor);
        Assert.Single(ExpectMsg<LessonList>(Deadline).Lessons);

        await Completes(Start("s2", _ => new Script.Reply("ok"), null, CreateTestProbe(), lessons, out var log, limited), "s2");

        var sent = log.Requests.Single().Prompt!;
        Assert.StartsWith(prompt, sent);
        Assert.True(sent.Length <= maxChars, $"{sent.Length} characters sent: {sent}");
        Assert.DoesNotContain(LessonPrompt.Heading, sent);
    }

    [Fact]
    public async Task A_task_runs_without_lessons_when_the_store_does_not_answer_in_time()
    {
        var silent = CreateTestProbe();
        var lessons = new LessonInjection(silent, 3, TimeSpan.FromMilliseconds(100));
        var client = Start("s1", _ => new Script.Reply("fine"), null, CreateTestProbe(), lessons, out var log);

        await Completes(client, "s1");

        silent.ExpectMsg<FindLessons>(Deadline);
        Assert.Equal("Draft a summary of the whales chapter", log.Requests.Single().Prompt);
    }
}
