using Akka.Persistence.Sql.Config;
using LinqToDB;
using LinqToDB.Interceptors;
using LinqToDB.Mapping;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Persistence;
using Xunit.Abstractions;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>The plugin's reads of the journal share one linq2db mapping of its tables. With the plugin's default
/// (<c>use-clone-connection = on</c>) each connection was a clone whose mapping schema was built anew, so the column
/// accessors of the journal row were compiled again every time; <see cref="PersistenceHocon"/> turns it off. A connection interceptor added to the node's own options records the mapping schema of every connection the
/// plugin opens.</summary>
public sealed class JournalMappingSpec : JournalSpecBase, IClassFixture<SqliteFileFixture>
{
    private readonly MappingRecorder _recorder;

    public JournalMappingSpec(SqliteFileFixture file, ITestOutputHelper output) : this(file, output, new MappingRecorder())
    {
    }

    private JournalMappingSpec(SqliteFileFixture file, ITestOutputHelper output, MappingRecorder recorder)
        : base(file.Database, output, setup => setup.And(recorder.Wrap(file.Database.Settings)))
    {
        _recorder = recorder;
    }

    [Fact]
    public void Recoveries_one_after_another_share_one_mapping_of_the_journal_tables()
    {
        // On SQLite the plugin no longer writes the events (SqliteWriteJournal does), but it still reads them: each
        // recovery asks it for the highest sequence number and replays.
        var id = NewPersistenceId();
        var (probe, _) = StartProbe(id);
        Write(probe, 1, 2, tagged: false);
        StopAndWait(probe);
        var before = _recorder.Connections;
        _recorder.Reset();
        for (var k = 0; k < 10; k++)
        {
            var (again, state) = StartProbe(id);
            Assert.Equal(2, state.Count);
            StopAndWait(again);
        }

        Assert.True(_recorder.Connections - before >= 10, $"The interceptor saw {_recorder.Connections - before} connections for 10 recoveries: it is not attached.");
        Assert.True(_recorder.DistinctSchemas <= 2,
            $"10 recoveries opened connections with {_recorder.DistinctSchemas} different mapping schemas: each read rebuilds the table mapping.");
    }

    /// <summary>Records the mapping schema of each connection opened with the node's options.</summary>
    private sealed class MappingRecorder : ConnectionInterceptor
    {
        private readonly HashSet<MappingSchema> _schemas = new(ReferenceEqualityComparer.Instance);
        private int _connections;

        public int Connections => Volatile.Read(ref _connections);

        public int DistinctSchemas
        {
            get
            {
                lock (_schemas)
                    return _schemas.Count;
            }
        }

        public DataOptionsSetup Wrap(PersistenceSettings settings) =>
            new(JournalConnectionSetup.DataOptionsFor(settings).UseInterceptor(this));

        public void Reset()
        {
            lock (_schemas)
                _schemas.Clear();
        }

        public override void ConnectionOpened(ConnectionEventData eventData, System.Data.Common.DbConnection connection) => Record(eventData);

        public override Task ConnectionOpenedAsync(ConnectionEventData eventData, System.Data.Common.DbConnection connection, CancellationToken cancellationToken)
        {
            Record(eventData);
            return Task.CompletedTask;
        }

        private void Record(ConnectionEventData eventData)
        {
            Interlocked.Increment(ref _connections);
            if (eventData.DataConnection is { } dataConnection)
                lock (_schemas)
                    _schemas.Add(dataConnection.MappingSchema);
        }
    }
}
