using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Decisions;
using Orchestrator.Engine.Sessions;
using Orchestrator.Engine.Streams;
using Orchestrator.Engine.Tests.Support;
using Orchestrator.Messages.Sessions;
using Xunit.Abstractions;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>A request for dispatch lost with a restarted decision engine (it was in the old incarnation's mailbox, or
/// its answer was) does not leave a session waiting for a grant nobody will give: the session asks again, when the
/// answer is overdue (2 s) and every 5 s while it wants something (each alone gets it through; without both it waits
/// forever).</summary>
public sealed class SessionEngineLossSpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_session_whose_requests_the_engine_lost_asks_again_and_finishes(int lost)
    {
        var template = new WorkflowTemplate("two",
            [new WorkflowNode("a", "analyst", "do it", []), new WorkflowNode("b", "analyst", "then this", new[] { "a" })],
            SessionSettingsSpec.Empty, []);
        var engine = Sys.ActorOf(DecisionEngine.Props(DecisionEngineSettings.Of(16)));
        var lossy = Sys.ActorOf(LosingEngine<DispatchMessages.RequestDispatch>.Props(engine, lost));
        var client = SessionUnderTest.Start(this, template, SessionUnderTest.InstantModel(Sys), decisions: lossy).Client;

        (await client.StartAsync("s1", "two", new Dictionary<string, string>())).OrThrow();

        await AwaitAssertAsync(async () =>
            Assert.Equal(SessionLifecycle.Completed, (await client.StatusAsync("s1")).OrThrow().Lifecycle), Deadline, TimeSpan.FromMilliseconds(200));
        Assert.True(await lossy.Ask<int>(Dropped.Instance, Deadline) == lost, "the engine lost the requests it was meant to");
    }
}
