using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Tests.Support;
using Orchestrator.Messages.Sessions;
using Xunit.Abstractions;
using static Orchestrator.Core.Models.ModelMessages;
using static Orchestrator.Engine.Decisions.DispatchMessages;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>A session alone on its node passes the slot of a task that ended to its next task of the same role without a
/// round trip to the decision engine (a chain asks once, then carries), and every slot is given back at the end; while
/// another session waits, it carries no more: both chains take turns on a node of one slot.</summary>
public sealed class SessionCarrySpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static WorkflowTemplate Chain(int length) => new("chain",
        Enumerable.Range(0, length).Select(i => new WorkflowNode($"t{i:D2}", "analyst", "step", i == 0 ? [] : [$"t{i - 1:D2}"])).ToList(),
        SessionSettingsSpec.Empty, []);

    private OrchestratorClient Session(string id, WorkflowTemplate template, IActorRef decisions, IActorRef model) =>
        SessionUnderTest.Start(this, template, model, decisions, id: id).Client;

    private async Task Completed(OrchestratorClient client, string id) =>
        await AwaitAssertAsync(async () =>
            Assert.Equal(SessionLifecycle.Completed, (await client.StatusAsync(id)).OrThrow().Lifecycle), Deadline, TimeSpan.FromMilliseconds(100));

    [Fact]
    public async Task A_chain_alone_asks_once_then_carries_its_slot_and_gives_it_back_at_the_end()
    {
        var engine = Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(4)));
        var seen = new ConcurrentQueue<object>();
        var counting = Sys.ActorOf(CountingEngine.Props(engine, seen));
        var client = Session("alone", Chain(20), counting, SessionUnderTest.InstantModel(Sys));

        (await client.StartAsync("alone", "chain", new Dictionary<string, string>())).OrThrow();
        await Completed(client, "alone");

        var asked = seen.OfType<RequestDispatch>().Count(r => r.Candidates.Count > 0);
        var carried = seen.OfType<CarryDispatch>().Count();
        Output.WriteLine($"requests with candidates: {asked}; carried: {carried}");
        Assert.True(asked <= 2, $"{asked} requests with candidates for a chain of 20 alone on its node");
        Assert.True(carried >= 18, $"only {carried} of 19 steps carried their slot");
        await AwaitAssertAsync(async () => Assert.Equal(0, (await engine.Ask<DispatchStatus>(GetDispatchStatus.Instance, Deadline)).Granted), Deadline);
    }

    [Fact]
    public async Task Two_chains_on_one_slot_take_turns_instead_of_one_carrying_it_to_the_end()
    {
        var engine = Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(1)));
        // a's first task holds the one slot until b waits for it too: from then on they compete for every step. The
        // model takes 20 ms a reply, as a model takes some time: with instant replies a session's steps may follow one
        // another on one thread faster than the engine gets a turn to say "carry no more" (a clean-clone run on 2 loaded
        // cores saw a session carry its last 6 steps while the other waited).
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (model, log) = ScriptedModels.Start(Sys, g => SessionOf(g) == "a" && ScriptedModel.TaskOf(g) == "t00"
            ? new Script.Deferred(gate.Task)
            : new Script.Deferred(ReplyAfter(TimeSpan.FromMilliseconds(20), ScriptedModel.Completion(ScriptedModel.TaskOf(g)))), "model");
        var a = Session("a", Chain(12), engine, model);
        var b = Session("b", Chain(12), engine, model);

        (await a.StartAsync("a", "chain", new Dictionary<string, string>())).OrThrow();
        await AwaitAssertAsync(() => Assert.Single(log.Requests), Deadline);
        (await b.StartAsync("b", "chain", new Dictionary<string, string>())).OrThrow();
        await AwaitAssertAsync(async () =>
            Assert.Equal(1, (await engine.Ask<DispatchStatus>(GetDispatchStatus.Instance, Deadline)).WaitingSessions), Deadline);
        gate.SetResult(ScriptedModel.Completion("t00"));
        await Task.WhenAll(Completed(a, "a"), Completed(b, "b"));

        // The order the model was asked in: while both have work left, neither runs more than a step or two in a row.
        var order = log.Requests.Select(SessionOf).ToList();
        Output.WriteLine(string.Join(" ", order));
        var bothRun = order.Take(Math.Min(order.LastIndexOf("a"), order.LastIndexOf("b")) + 1).ToList();
        var longest = bothRun.Select((x, i) => bothRun.Skip(i).TakeWhile(y => y == x).Count()).Max();
        Assert.True(longest <= 2, $"one session ran {longest} steps in a row while the other waited: {string.Join(" ", order)}");
        await AwaitAssertAsync(async () => Assert.Equal(0, (await engine.Ask<DispatchStatus>(GetDispatchStatus.Instance, Deadline)).Granted), Deadline);
    }

    private static async Task<string> ReplyAfter(TimeSpan latency, string text)
    {
        await Task.Delay(latency);
        return text;
    }

    private static string SessionOf(Generate g) => AttemptId.TryParse(g.RequestId, out var attempt, out _) ? attempt.Session.ToString() : "?";
}
