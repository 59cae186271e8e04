using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Context;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;
using Xunit.Abstractions;
using static Orchestrator.Core.Models.ModelMessages;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Sessions.SessionReplies;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>A session's plain tasks sharing its conversation (<c>settings.context</c>): later prompts carry earlier
/// outputs and the language line; past the size the summarizer agent is asked, and its summary, persisted, takes the
/// place of the older turns, also after the session restarts from its journal and snapshot.</summary>
/// <remarks>serialize-messages is off: the in-memory journal's envelopes cannot be verified (see SessionCoordinatorSpec).</remarks>
public sealed class SessionHistorySpec(ITestOutputHelper output)
    : TestKit(Akka.Configuration.ConfigurationFactory.ParseString("akka.actor.serialize-messages = off").WithFallback(EngineTestConfig.Default), output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static string OutputOf(string task) => $"output of {task}: " + new string('x', 60);

    /// <summary>A chain of <paramref name="ids"/>, each prompt naming only its own task (no <c>{output.*}</c>).</summary>
    private static WorkflowTemplate Chain(ContextSettingsSpec context, params string[] ids) => new(
        "chain",
        ids.Select((id, i) => new WorkflowNode(id, "analyst", $"Do step {id}.", i == 0 ? [] : [ids[i - 1]])).ToList(),
        new SessionSettingsSpec(MaxConcurrentTasks: 2, Context: context),
        []);

    private (IActorRef Session, OrchestratorClient Client, ScriptedModel.Log Log, LiveFeed<SessionLiveEvent> Feed) Start(
        Func<Generate, Script> script, WorkflowTemplate template)
    {
        var (model, log) = ScriptedModels.Start(Sys, script, $"model-{Guid.NewGuid():N}");
        var feed = new LiveFeed<SessionLiveEvent>();
        var runtime = new SessionRuntime(new Dictionary<string, WorkflowTemplate> { ["chain"] = template }, model,
            new NodeDispatchSlots(16), feed, SnapshotEvery: 1);
        var session = Sys.ActorOf(PassivatingParent.Props(SessionCoordinator.Props("s1", runtime), TestActor));
        return (session, new OrchestratorClient(session, feed, TimeSpan.FromSeconds(3)), log, feed);
    }

    private static Script Answer(Generate g, string? hang = null) => ScriptedModel.TaskOf(g) switch
    {
        "context-summary" => new Script.Reply("THE-SUMMARY of the early steps"),
        var task when task == hang => new Script.Hang(),
        var task => new Script.Reply(OutputOf(task)),
    };

    private static string PromptOf(ScriptedModel.Log log, string task) => log.Requests.Single(r => ScriptedModel.TaskOf(r) == task).Prompt!;

    [Fact]
    public async Task A_later_task_is_prompted_with_the_earlier_outputs_and_the_language_line()
    {
        var (_, client, log, _) = Start(g => Answer(g), Chain(new ContextSettingsSpec(ShareHistory: true, Language: "French"), "a", "b", "c"));

        Assert.IsType<SessionStarted>(await client.StartAsync("s1", "chain", new Dictionary<string, string>()));
        await AwaitAssertAsync(async () =>
            Assert.Equal(SessionLifecycle.Completed, Assert.IsType<SessionStatus>(await client.StatusAsync("s1")).Lifecycle), Deadline);

        Assert.Equal("Do step a.\nWrite your reply in French.", PromptOf(log, "a"));
        Assert.Equal(
            $"Do step c.\nWrite your reply in French.\nConversation so far:\n[a (analyst)] {OutputOf("a")}\n[b (analyst)] {OutputOf("b")}",
            PromptOf(log, "c"));
    }

    [Fact]
    public async Task Without_a_context_block_prompts_are_left_as_they_are()
    {
        var template = Chain(new ContextSettingsSpec(), "a", "b") with { Settings = new SessionSettingsSpec(MaxConcurrentTasks: 2) };
        var (_, client, log, _) = Start(g => Answer(g), template);

        await client.StartAsync("s1", "chain", new Dictionary<string, string>());
        await AwaitAssertAsync(async () =>
            Assert.Equal(SessionLifecycle.Completed, Assert.IsType<SessionStatus>(await client.StatusAsync("s1")).Lifecycle), Deadline);

        Assert.Equal("Do step b.", PromptOf(log, "b"));
    }

    [Fact]
    public async Task Past_the_size_the_summarizer_is_asked_and_its_persisted_summary_replaces_older_turns_after_a_restart()
    {
        var template = Chain(new ContextSettingsSpec(ShareHistory: true, MaxChars: 4000, SummarizeAbove: 150, SummarizerRole: "editor",
            KeepRecentTurns: 1), "a", "b", "c", "d", "e");
        var (session, client, log, feed) = Start(g => Answer(g, hang: "e"), template);
        var summaries = new ConcurrentQueue<ContextSummarized>();
        _ = feed.SubscribeNow(e => e.Event is ContextSummarized)
            .RunForeach(item => { if (item is FeedItem<SessionLiveEvent>.Event { Value.Event: ContextSummarized z }) summaries.Enqueue(z); },
                Sys.Materializer());

        await client.StartAsync("s1", "chain", new Dictionary<string, string>());
        // e is running (it hangs), and every summary asked for so far is persisted.
        await AwaitAssertAsync(() =>
        {
            Assert.Equal(1, log.CountFor("e"));
            Assert.NotEmpty(summaries);
            Assert.Equal(log.CountFor("context-summary"), summaries.Count);
        }, Deadline);

        var asked = log.Requests.First(r => ScriptedModel.TaskOf(r) == "context-summary");
        Assert.Equal("editor", asked.Model);
        Assert.Contains(OutputOf("a"), asked.Prompt);
        Assert.StartsWith("Summarize the conversation", asked.Prompt);
        Assert.Equal("THE-SUMMARY of the early steps", summaries.First().Summary);

        Sys.ActorSelection(session.Path / "entity-1").Tell(Kill.Instance);
        ExpectMsg<PassivatingParent.EntityStopped>(Deadline);
        Sys.Stop(session);

        var (_, again, log2, _) = Start(g => Answer(g), template);
        await AwaitAssertAsync(async () =>
            Assert.Equal(SessionLifecycle.Completed, Assert.IsType<SessionStatus>(await again.StatusAsync("s1")).Lifecycle), Deadline);

        var e = PromptOf(log2, "e");
        Assert.Contains("Summary of earlier turns: THE-SUMMARY of the early steps", e);
        Assert.DoesNotContain(OutputOf("a"), e);
        Assert.True(e.Contains($"[d (analyst)] {OutputOf("d")}", StringComparison.Ordinal), e);
    }
}
