using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Messaging;
using Orchestrator.Engine.Models;
using Orchestrator.Engine.Tests.Support;
using Orchestrator.Messages;
using Xunit.Abstractions;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Engine.Tests.Models;

/// <summary>Model calls: tokens and the answer reach the asker by key, the model is told to stop past the deadline or
/// when the asker stops first, and never after it answered; a late answer is ignored.</summary>
public sealed class ModelCallingActorSpec(ITestOutputHelper output) : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly GenerateTimings NoTime = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    private static Generate Request(string id) => new(id, "m1", Prompt: "hi", Timeout: TimeSpan.FromMinutes(1));

    [Fact]
    public void Tokens_and_the_answer_reach_the_asker_by_key_and_nothing_is_cancelled()
    {
        var models = CreateTestProbe();
        var asker = Sys.ActorOf(Props.Create(() => new Asker(models, TestActor, null)));
        Watch(asker);
        asker.Tell(new Ask("k1", Request("r1")));

        Assert.Equal("r1", models.ExpectMsg<Generate>(Deadline).RequestId);
        Assert.Equal(asker, models.LastSender); // asked from the actor itself: answers come straight back
        models.Reply(new TokenChunk("r1", 0, "he"));
        models.Reply(new GenerateResult("r1", "m1", "hello", 1, 2, StopReason.EndOfText, NoTime));

        Assert.Equal(("k1", "he"), ExpectMsg<(string, string)>(Deadline));
        Assert.Equal("k1", ExpectMsg<Answered>(Deadline).Key);
        Sys.Stop(asker);
        ExpectTerminated(asker, Deadline);
        Assert.False(models.HasMessages); // an answered call is not cancelled
    }

    [Fact]
    public void Past_its_deadline_a_call_is_cancelled_at_the_model_and_its_late_answer_ignored()
    {
        var models = CreateTestProbe();
        var asker = Sys.ActorOf(Props.Create(() => new Asker(models, TestActor, TimeSpan.FromMilliseconds(200))));
        asker.Tell(new Ask("k1", Request("r1")));

        models.ExpectMsg<Generate>(Deadline);
        Assert.Equal(new CancelGenerate("r1", "m1"), models.ExpectMsg<CancelGenerate>(Deadline));
        Assert.Equal("k1", ExpectMsg<TimedOut>(Deadline).Key);

        models.Reply(new GenerateResult("r1", "m1", "late", 1, 2, StopReason.Cancelled, NoTime));
        asker.Tell(new Ask("k2", Request("r2"), Within: TimeSpan.FromMinutes(1))); // answered below however slow this machine is
        models.ExpectMsg<Generate>(Deadline);
        models.Reply(new GenerateFailed("r2", "m1", FailureCodes.PoolFailed, "boom"));
        Assert.Equal("k2", ExpectMsg<Answered>(Deadline).Key); // the late answer to r1 reached nobody
    }

    [Fact]
    public void Calls_waiting_when_the_asker_stops_are_cancelled_at_their_models()
    {
        var models = CreateTestProbe();
        var asker = Sys.ActorOf(Props.Create(() => new Asker(models, TestActor, null)));
        asker.Tell(new Ask("k1", Request("r1")));
        asker.Tell(new Ask("k2", Request("r2")));
        models.ExpectMsg<Generate>(Deadline);
        models.ExpectMsg<Generate>(Deadline);
        models.Reply(new Overloaded("r2", "m1", 3));
        Assert.Equal("k2", ExpectMsg<Answered>(Deadline).Key);

        Sys.Stop(asker);

        Assert.Equal(new CancelGenerate("r1", "m1"), models.ExpectMsg<CancelGenerate>(Deadline));
    }

    /// <summary>Asks for <see cref="Request"/> under <see cref="Key"/>, within <see cref="Within"/> (by default the
    /// asker's).</summary>
    private sealed record Ask(string Key, Generate Request, TimeSpan? Within = null);
    private sealed record Answered(string Key, IClusterMessage Answer);
    private sealed record TimedOut(string Key);

    private sealed class Asker : ModelCallingActor
    {
        private readonly IActorRef _probe;

        public Asker(IActorRef models, IActorRef probe, TimeSpan? within) : base(models)
        {
            _probe = probe;
            Receive<Ask>(a => Call(a.Key, a.Request, a.Within ?? within));
        }

        protected override void OnTokens(string key, TokenChunk chunk) => _probe.Tell((key, chunk.Text));
        protected override void OnAnswer(string key, IClusterMessage answer) => _probe.Tell(new Answered(key, answer));
        protected override void OnTimedOut(string key) => _probe.Tell(new TimedOut(key));
    }
}
