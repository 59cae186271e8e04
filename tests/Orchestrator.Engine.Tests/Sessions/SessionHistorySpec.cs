using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Context;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;
using Orchestrator.Messages.Sessions;
using Xunit.Abstractions;
using static Orchestrator.Core.Models.ModelMessages;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>A session's plain tasks sharing its conversation (<c>settings.context</c>): later prompts carry earlier
/// outputs and the language line; past the size the summarizer agent is asked, and its summary, persisted, takes the
/// place of the older turns, also after the session restarts from its journal and snapshot.</summary>
/// <remarks>The journal is the in-memory one with a gate (<see cref="GatedMemoryJournal"/>), open unless a spec closes it.</remarks>
public sealed class SessionHistorySpec(ITestOutputHelper output)
    : TestKit(GatedMemoryJournal.Config.WithFallback(EngineTestConfig.Default), output: output)
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
            Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(16))), feed, SnapshotEvery: 1);
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

        (await client.StartAsync("s1", "chain", new Dictionary<string, string>())).OrThrow();
        await AwaitAssertAsync(async () =>
            Assert.Equal(SessionLifecycle.Completed, (await client.StatusAsync("s1")).OrThrow().Lifecycle), Deadline);

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
            Assert.Equal(SessionLifecycle.Completed, (await client.StatusAsync("s1")).OrThrow().Lifecycle), Deadline);

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
            Assert.Equal(SessionLifecycle.Completed, (await again.StatusAsync("s1")).OrThrow().Lifecycle), Deadline);

        var e = PromptOf(log2, "e");
        Assert.Contains("Summary of earlier turns: THE-SUMMARY of the early steps", e);
        Assert.DoesNotContain(OutputOf("a"), e);
        Assert.True(e.Contains($"[d (analyst)] {OutputOf("d")}", StringComparison.Ordinal), e);
    }

    [Fact]
    public async Task A_summary_that_arrives_while_a_completion_is_written_is_persisted_before_the_next_one_is_asked()
    {
        // The next summary must be asked of the conversation after the first one folded its turns: asked before, it
        // would fold turns that are already summarized (and, applied, turns it never saw).
        var template = Chain(new ContextSettingsSpec(ShareHistory: true, MaxChars: 4000, SummarizeAbove: 150, SummarizerRole: "editor",
            KeepRecentTurns: 1), "a", "b", "c", "d", "e");
        var firstSummary = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var c = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var summariesAsked = 0;
        var (session, client, log, _) = Start(g => ScriptedModel.TaskOf(g) switch
        {
            "context-summary" when Interlocked.Increment(ref summariesAsked) == 1 => new Script.Deferred(firstSummary.Task),
            "c" => new Script.Deferred(c.Task),
            _ => Answer(g),
        }, template);
        var journal = GatedMemoryJournal.Of(Sys);

        await client.StartAsync("s1", "chain", new Dictionary<string, string>());
        // b's completion asked for a summary of a; c runs. Both answers are held.
        await AwaitAssertAsync(() =>
        {
            Assert.Equal(1, log.CountFor("context-summary"));
            Assert.Equal(1, log.CountFor("c"));
        }, Deadline);

        // c's completion is written, and held in the journal; meanwhile the summary arrives (its summarizer stops once
        // it has told the session).
        await journal.Ask<Akka.Done>(GatedMemoryJournal.Close.Instance, Deadline);
        c.SetResult(OutputOf("c"));
        await AwaitAssertAsync(async () => Assert.Equal(1, await journal.Ask<int>(GatedMemoryJournal.HeldWrites.Instance, Deadline)), Deadline);
        var summarizer = await Sys.ActorSelection(session.Path / "entity-1" / "summarizer-1").ResolveOne(Deadline);
        Watch(summarizer);
        firstSummary.SetResult("THE-SUMMARY of a");
        ExpectTerminated(summarizer, Deadline);
        await journal.Ask<Akka.Done>(GatedMemoryJournal.Open.Instance, Deadline);

        await AwaitAssertAsync(async () =>
            Assert.Equal(SessionLifecycle.Completed, (await client.StatusAsync("s1")).OrThrow().Lifecycle), Deadline);
        var second = log.Requests.Where(r => ScriptedModel.TaskOf(r) == "context-summary").Skip(1).First().Prompt!;
        Assert.Contains("Summary so far: THE-SUMMARY of a", second);
        Assert.DoesNotContain(OutputOf("a"), second);
        Assert.Contains($"[b (analyst)] {OutputOf("b")}", second);
        var e = PromptOf(log, "e");
        Assert.True(e.Contains($"[d (analyst)] {OutputOf("d")}", StringComparison.Ordinal), e);
    }
}
