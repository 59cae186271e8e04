using System.Text;
using Akka.Actor;
using Akka.Event;
using Orchestrator.Engine.Diagnostics;
using Xunit.Abstractions;
using static Orchestrator.Core.Diagnostics.ProbeCommands;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>Bad stored data stops only the actor whose events it is: a corrupted payload or an unknown manifest fails
/// that actor's recovery with an error naming its persistence id and sequence number, and another actor on the same
/// journal recovers. Akka's error names the last sequence number recovered (the broken event is the next), and its
/// cause, the serializer's, names the manifest. Run on SQLite (<see cref="SqliteRecoveryFailureSpec"/>) and PostgreSQL
/// (<see cref="PostgreSqlRecoveryFailureSpec"/>).</summary>
public abstract class RecoveryFailureSpec : JournalSpecBase
{
    private readonly ITestOutputHelper _output;

    /// <summary>A spec on <paramref name="database"/>.</summary>
    protected RecoveryFailureSpec(SpecDatabase database, ITestOutputHelper output) : base(database, output) => _output = output;

    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public Task A_corrupted_payload_fails_that_actors_recovery_only() =>
        RecoveryFailsAfterAsync("UPDATE journal SET message = @value WHERE persistence_id = @id AND sequence_number = @seq",
            Encoding.UTF8.GetBytes("{\"number\": \"not a number\""),
            "Payload of manifest 'probe-written.v1' is not valid");

    [Fact]
    public Task An_unknown_manifest_fails_that_actors_recovery_only() =>
        RecoveryFailsAfterAsync("UPDATE journal SET manifest = @value WHERE persistence_id = @id AND sequence_number = @seq",
            "probe-written-by-a-newer-version.v9",
            "Unknown manifest 'probe-written-by-a-newer-version.v9'");

    private async Task RecoveryFailsAfterAsync(string tamper, object value, string reason)
    {
        const long broken = 3;
        var badId = NewPersistenceId();
        var goodId = NewPersistenceId();
        var (bad, _) = StartProbe(badId);
        var (good, _) = StartProbe(goodId);
        Write(bad, 1, 5, tagged: false);
        Write(good, 1, 5, tagged: false);
        StopAndWait(bad);
        StopAndWait(good);

        Assert.Equal(1, await Database.ExecuteAsync(tamper, ("value", value), ("id", badId), ("seq", broken)));

        var errors = CreateTestProbe();
        Sys.EventStream.Subscribe(errors.Ref, typeof(Error));
        var goodReplies = CreateTestProbe();

        // Both recover at once from the same journal.
        var restarted = Sys.ActorOf(JournalProbe.Props(badId));
        var goodAgain = Sys.ActorOf(JournalProbe.Props(goodId));
        Watch(restarted);
        restarted.Tell(new GetState());
        goodAgain.Tell(new GetState(), goodReplies.Ref);

        ExpectTerminated(restarted, RecoveryDeadline);
        Assert.Equal(new State(5, 15, 5, 5, false), goodReplies.ExpectMsg<State>(RecoveryDeadline));

        var error = errors.FishForMessage<Error>(e => Describe(e).Contains(badId), RecoveryDeadline);
        var text = Describe(error);
        _output.WriteLine(text);
        // Akka names the persistence id and the last sequence number it recovered: the broken event is the next one.
        Assert.Contains($"replaying events for persistenceId [{badId}]. Last known sequence number [{broken - 1}]", text);
        Assert.Contains(reason, text);

        // The journal still serves the other actor afterwards, writes included.
        Assert.Equal(new Written(6, 6), Write(goodAgain, 6, 1, tagged: false).Single());
    }

    private static string Describe(Error error) => $"{error.Message}\n{error.Cause}";
}
