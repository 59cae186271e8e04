using Akka.Actor;
using Orchestrator.Engine.Diagnostics;
using Orchestrator.Node.Persistence;
using Xunit.Abstractions;
using static Orchestrator.Core.Diagnostics.ProbeCommands;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>Concurrent writes share SQLite transactions: the journal's writer (<see cref="SqliteWriteJournal"/>) puts the
/// writes that arrive while a transaction is being committed into the next one. This spec counts real commits.</summary>
public sealed class JournalBatchingSpec : JournalSpecBase, IClassFixture<SqliteFileFixture>
{
    private const int Actors = 100, EventsPerActor = 20, Events = Actors * EventsPerActor;
    private readonly SqliteCommitCounter _counter;
    private readonly ITestOutputHelper _output;

    public JournalBatchingSpec(SqliteFileFixture file, ITestOutputHelper output) : this(file, output, new SqliteCommitCounter())
    {
    }

    private JournalBatchingSpec(SqliteFileFixture file, ITestOutputHelper output, SqliteCommitCounter counter)
        : base(file.Database, output, setup => setup.And(counter.Wrap(file.Database.Settings)).And(counter.Writer))
    {
        _counter = counter;
        _output = output;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_hundred_actors_writing_at_once_share_transactions(bool tagged)
    {
        var probes = Enumerable.Range(0, Actors).Select(_ => StartProbe(NewPersistenceId()).Probe).ToArray();
        var before = _counter.Commits;

        // One persist per event, every actor at once: each actor has one write in flight, the others queue behind it.
        for (var k = 0; k < EventsPerActor; k++)
            foreach (var probe in probes)
                probe.Tell(new Write(k, 1, tagged));
        var acks = ReceiveN(Events, BulkDeadline).Cast<Written>().ToList();

        var commits = _counter.Commits - before;
        _output.WriteLine($"{Events} events ({(tagged ? "tagged" : "untagged")}) in {commits} transactions: {(double)Events / commits:F1} events per transaction");
        Assert.Equal(Events, acks.Count);
        Assert.True(commits > 0, "The commit hook saw no transaction at all: the counter is not attached to the journal's connections.");
        Assert.True(commits < Events / 5,
            $"{Events} concurrent single-event writes took {commits} transactions (at least {Events / 5} means batches are not forming).");
    }

    [Fact]
    public void The_counter_sees_every_transaction_of_writes_one_after_another()
    {
        var (probe, _) = StartProbe(NewPersistenceId());
        var before = _counter.Commits;
        for (var k = 0; k < 10; k++)
            Write(probe, k, 1, tagged: false);
        // Nothing else is writing: ten sequential persists are ten transactions (this is what makes the count above mean something).
        Assert.Equal(10, _counter.Commits - before);
    }
}
