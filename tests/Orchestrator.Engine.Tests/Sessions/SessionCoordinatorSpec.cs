using Akka.Actor;
using Akka.Streams;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Models;
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
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Engine.Tests.Sessions;

public sealed class SessionCoordinatorSpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private const string SummarySchema = """{"type":"object","required":["summary"]}""";

    private static WorkflowTemplate Diamond(int retries = 0, int maxConcurrent = 4, string? schemaOfB = null) => new(
        "diamond",
        [
            new WorkflowNode("a", "analyst", "Start on {TOPIC}", [], Retries: retries),
            new WorkflowNode("b", "analyst", "B after: {output.a}", ["a"], Priority: 2, Retries: retries, OutputSchema: schemaOfB),
            new WorkflowNode("c", "analyst", "C after: {output.a}", ["a"], Priority: 1, Retries: retries),
            new WorkflowNode("d", "writer", "D from {output.b} and {output.c}", ["b", "c"], Retries: retries),
        ],
        new SessionSettingsSpec(MaxConcurrentTasks: maxConcurrent, RetryBaseDelay: TimeSpan.FromMilliseconds(10),
            RetryMaxDelay: TimeSpan.FromMilliseconds(50)),
        [new WorkflowVariable("TOPIC", Required: true)]);

    private (IActorRef Session, OrchestratorClient Client, ScriptedModel.Log Log, LiveFeed<SessionLiveEvent> Feed) Start(
        Func<Generate, Script> script, WorkflowTemplate? template = null, string id = "s1", IActorRef? decisions = null,
        SamplingOptions? sampling = null, TimeSpan? finishedIdle = null)
    {
        var (model, log) = ScriptedModels.Start(Sys, script, $"model-{Guid.NewGuid():N}");
        var feed = new LiveFeed<SessionLiveEvent>();
        var runtime = new SessionRuntime(
            new Dictionary<string, WorkflowTemplate> { ["diamond"] = template ?? Diamond() },
            model, decisions ?? Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(16))), feed, Sampling: sampling, FinishedIdleTimeout: finishedIdle);
        var session = Sys.ActorOf(PassivatingParent.Props(SessionCoordinator.Props(id, runtime), TestActor));
        return (session, new OrchestratorClient(session, feed, TimeSpan.FromSeconds(3)), log, feed);
    }

    private static Script Completes(Generate g) => new Script.Reply(ScriptedModel.Completion(ScriptedModel.TaskOf(g)));

    private async Task<SessionStatus> AwaitLifecycle(OrchestratorClient client, string id, SessionLifecycle lifecycle)
    {
        SessionStatus? status = null;
        await AwaitAssertAsync(async () =>
        {
            status = (await client.StatusAsync(id)).OrThrow();
            Assert.Equal(lifecycle, status.Lifecycle);
        }, Deadline, TimeSpan.FromMilliseconds(20));
        return status!;
    }

    private static Dictionary<string, string> Topic => new() { ["TOPIC"] = "whales" };

    [Fact]
    public async Task A_session_runs_its_dag_in_dependency_order_to_completion()
    {
        var (_, client, log, _) = Start(Completes);

        (await client.StartAsync("s1", "diamond", Topic)).OrThrow();
        var status = await AwaitLifecycle(client, "s1", SessionLifecycle.Completed);

        Assert.Equal(4, status.Succeeded);
        var order = log.Requests.Select(ScriptedModel.TaskOf).ToList();
        Assert.Equal(["a", "b", "c", "d"], order.OrderBy(t => t));
        Assert.Equal("a", order[0]);
        Assert.Equal("d", order[3]);
        Assert.Equal(4 * 30, status.TokensUsed);
    }

    [Fact]
    public async Task Inputs_and_dependency_outputs_are_rendered_into_prompts()
    {
        var (_, client, log, _) = Start(g => new Script.Reply(ScriptedModel.Completion(ScriptedModel.TaskOf(g), $"summary-of-{ScriptedModel.TaskOf(g)}")));

        await client.StartAsync("s1", "diamond", Topic);
        await AwaitLifecycle(client, "s1", SessionLifecycle.Completed);

        Assert.Equal("Start on whales", log.Requests.Single(r => ScriptedModel.TaskOf(r) == "a").Prompt);
        var d = log.Requests.Single(r => ScriptedModel.TaskOf(r) == "d").Prompt!;
        Assert.Contains("summary-of-b", d);
        Assert.Contains("summary-of-c", d);
        Assert.Null(log.Requests.First().Grammar); // a plain node's reply is free text
    }

    [Fact]
    public async Task A_node_with_an_output_schema_asks_for_it_and_keeps_the_json()
    {
        var (_, client, log, _) = Start(g => ScriptedModel.TaskOf(g) == "b"
            ? new Script.Reply("Here it is: {\"summary\": \"bee\"}")
            : Completes(g), Diamond(schemaOfB: SummarySchema));

        await client.StartAsync("s1", "diamond", Topic);
        await AwaitLifecycle(client, "s1", SessionLifecycle.Completed);

        Assert.Equal(SummarySchema, log.Requests.Single(r => ScriptedModel.TaskOf(r) == "b").JsonSchema);
        Assert.Contains("{\"summary\": \"bee\"}", log.Requests.Single(r => ScriptedModel.TaskOf(r) == "d").Prompt);
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_and_the_session_completes()
    {
        var failedOnce = false;
        var (_, client, log, _) = Start(g =>
        {
            if (ScriptedModel.TaskOf(g) == "b" && !failedOnce)
            {
                failedOnce = true;
                return new Script.Fail(FailureCodes.PoolFailed, "the pool restarted");
            }
            return Completes(g);
        }, Diamond(retries: 2));

        await client.StartAsync("s1", "diamond", Topic);
        await AwaitLifecycle(client, "s1", SessionLifecycle.Completed);

        Assert.Equal(2, log.CountFor("b"));
        Assert.Equal(1, log.CountFor("a"));
    }

    [Fact]
    public async Task An_unreadable_reply_fails_the_task_and_the_session_keeping_the_raw_text()
    {
        var (_, client, _, _) = Start(g => ScriptedModel.TaskOf(g) == "b" ? new Script.Reply("no protocol here, no json") : Completes(g),
            Diamond(schemaOfB: SummarySchema));
        var failures = new List<SessionEvents.TaskFailed>();
        var subscription = client.Events("s1").RunForeach(i =>
        {
            if (i is FeedItem<SessionLiveEvent>.Event { Value.Event: SessionEvents.TaskFailed f }) lock (failures) failures.Add(f);
        }, Sys.Materializer());

        await client.StartAsync("s1", "diamond", Topic);
        var status = await AwaitLifecycle(client, "s1", SessionLifecycle.Failed);

        Assert.Equal(1, status.Failed);
        await AwaitAssertAsync(() => { lock (failures) Assert.Single(failures); }, Deadline); // the live feed is asynchronous
        var failure = failures[0];
        Assert.Equal("no protocol here, no json", failure.RawText);
        Assert.Contains("no JSON", failure.Reason);
    }

    [Fact]
    public async Task Completed_tasks_never_run_again_after_the_session_restarts()
    {
        var (session, client, _, _) = Start(g => ScriptedModel.TaskOf(g) == "c" ? new Script.Hang() : Completes(g));
        await client.StartAsync("s1", "diamond", Topic);
        await AwaitAssertAsync(async () =>
        {
            var s = (await client.StatusAsync("s1")).OrThrow();
            Assert.Equal(2, s.Succeeded);
            Assert.Equal(1, s.InFlight);
        }, Deadline);

        Sys.ActorSelection(session.Path / "entity-1").Tell(Kill.Instance);
        ExpectMsg<PassivatingParent.EntityStopped>(Deadline);
        Sys.Stop(session);

        var (_, again, log2, _) = Start(Completes);
        var status = await AwaitLifecycle(again, "s1", SessionLifecycle.Completed);

        Assert.Equal(4, status.Succeeded);
        Assert.Equal(0, log2.CountFor("a"));
        Assert.Equal(0, log2.CountFor("b"));
        Assert.Equal(1, log2.CountFor("c"));
        Assert.Equal(1, log2.CountFor("d"));
    }

    [Fact]
    public async Task A_finished_session_passivates_once_left_alone_and_again_after_a_query_wakes_it()
    {
        var (_, client, log, _) = Start(Completes, finishedIdle: TimeSpan.FromMilliseconds(300));
        await client.StartAsync("s1", "diamond", Topic);
        ExpectMsg<PassivatingParent.EntityStopped>(Deadline); // finished, then idle: passivated

        var status = (await client.StatusAsync("s1")).OrThrow(); // recovered from the journal to answer
        Assert.Equal(SessionLifecycle.Completed, status.Lifecycle);
        ExpectMsg<PassivatingParent.EntityStopped>(Deadline); // and passivated again once idle
        Assert.Equal(4, log.Requests.Count);
    }

    [Fact]
    public async Task An_unknown_session_is_not_found_and_no_session_is_created()
    {
        var (_, client, log, _) = Start(Completes);

        Assert.IsType<SessionNotFound>((await client.StatusAsync("s1")).NotFound);
        ExpectMsg<PassivatingParent.EntityStopped>(Deadline); // passivated: under sharding, remember-entities forgets it
        Assert.Empty(log.Requests);
    }

    [Fact]
    public async Task With_a_session_seed_each_attempt_samples_with_its_own_derived_seed()
    {
        var failedOnce = false;
        var (_, client, log, _) = Start(g =>
        {
            if (ScriptedModel.TaskOf(g) != "a" || failedOnce) return Completes(g);
            failedOnce = true;
            return new Script.Fail(FailureCodes.PoolFailed, "the pool restarted");
        }, Diamond(retries: 1), sampling: new SamplingOptions(Seed: 7));

        await client.StartAsync("s1", "diamond", Topic);
        await AwaitLifecycle(client, "s1", SessionLifecycle.Completed);

        var seedsOfA = log.Requests.Where(r => ScriptedModel.TaskOf(r) == "a").Select(r => r.Sampling!.Seed).ToList();
        Assert.Equal([SamplingSeeds.ForAttempt(7, "s1", "a", 1), SamplingSeeds.ForAttempt(7, "s1", "a", 2)], seedsOfA);
        Assert.Equal(SamplingSeeds.ForAttempt(7, "s1", "d", 1), log.Requests.Single(r => ScriptedModel.TaskOf(r) == "d").Sampling!.Seed);
    }

    [Fact]
    public async Task An_invalid_start_is_refused_with_every_problem_and_nothing_persisted()
    {
        var (_, client, _, _) = Start(Completes);

        var rejected = Assert.IsType<SessionRejected>((await client.StartAsync("s1", "diamond", new Dictionary<string, string>())).Rejected);
        Assert.Contains(rejected.Problems, p => p.Contains("TOPIC"));

        var (_, fresh, _, _) = Start(Completes);
        Assert.IsType<SessionNotFound>((await fresh.StatusAsync("s1")).NotFound);
        Assert.IsType<SessionRejected>((await fresh.StartAsync("s1", "no-such-template", Topic)).Rejected);
        Assert.IsType<SessionRejected>((await fresh.StartAsync("bad id!", "diamond", Topic)).Rejected);
    }

    [Fact]
    public async Task Pause_holds_new_dispatches_and_resume_continues()
    {
        var release = new TaskCompletionSource();
        var (_, client, log, _) = Start(g => ScriptedModel.TaskOf(g) == "a" && !release.Task.IsCompleted ? new Script.Hang() : Completes(g));
        await client.StartAsync("s1", "diamond", Topic);
        await AwaitAssertAsync(() => Assert.Single(log.Requests), Deadline);

        var paused = (await client.PauseAsync("s1")).OrThrow();
        Assert.Equal(SessionLifecycle.Paused, paused.Lifecycle);

        var resumed = (await client.ResumeAsync("s1")).OrThrow();
        Assert.Equal(SessionLifecycle.Running, resumed.Lifecycle);
    }

    [Fact]
    public async Task Cancel_stops_generation_in_flight()
    {
        var (_, client, log, _) = Start(_ => new Script.Hang());
        await client.StartAsync("s1", "diamond", Topic);
        await AwaitAssertAsync(() => Assert.Single(log.Requests), Deadline);

        var cancelled = (await client.CancelAsync("s1", "changed my mind")).OrThrow();

        Assert.Equal(SessionLifecycle.Cancelled, cancelled.Lifecycle);
        await AwaitAssertAsync(() => Assert.Single(log.Cancellations), Deadline);
    }

    [Fact]
    public async Task Node_slots_bound_the_tasks_in_flight_and_are_all_given_back()
    {
        var decisions = Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(1)));
        var (_, client, log, _) = Start(Completes, decisions: decisions);

        await client.StartAsync("s1", "diamond", Topic);
        await AwaitLifecycle(client, "s1", SessionLifecycle.Completed);

        Assert.Equal(4, log.Requests.Count);
        await AwaitAssertAsync(async () => Assert.Equal(0, (await decisions.Ask<DispatchMessages.DispatchStatus>(DispatchMessages.GetDispatchStatus.Instance)).Granted), Deadline);
    }
}
