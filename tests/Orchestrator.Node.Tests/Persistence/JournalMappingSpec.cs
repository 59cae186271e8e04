using Akka.Persistence.Sql.Config;
using LinqToDB;
using LinqToDB.Interceptors;
using LinqToDB.Mapping;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Persistence;
using Xunit.Abstractions;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>The journal's writes share one linq2db mapping of its tables. With the plugin's default
/// (<c>use-clone-connection = on</c>) each write's connection was a clone whose mapping schema was built anew, so the
/// column accessors of the journal row were compiled again on every write; <see cref="PersistenceHocon"/> turns it
/// off. A connection interceptor added to the node's own options records the mapping schema of every connection the
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
    public void Writes_one_after_another_share_one_mapping_of_the_journal_tables()
    {
        var (probe, _) = StartProbe(NewPersistenceId());
        var before = _recorder.Connections;
        _recorder.Reset();
        for (var k = 0; k < 20; k++)
            Write(probe, k * 2, 2, tagged: false);

        Assert.True(_recorder.Connections - before >= 20, $"The interceptor saw {_recorder.Connections - before} connections for 20 writes: it is not attached.");
        Assert.True(_recorder.DistinctSchemas <= 2,
            $"20 writes opened connections with {_recorder.DistinctSchemas} different mapping schemas: each write rebuilds the table mapping.");
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
