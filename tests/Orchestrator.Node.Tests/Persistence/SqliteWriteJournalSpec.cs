using System.Data.Common;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Data.Sqlite;
using Orchestrator.Node.Persistence;
using Xunit.Abstractions;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>On SQLite the journal writes events through its own path (<see cref="SqliteWriteJournal"/>), and the rows it
/// writes are the rows Akka.Persistence.Sql writes: the same events persisted by the plugin's own journal into a second
/// file give the same journal and tag rows, column by column, so the plugin's replay and queries (and a journal written
/// before) read both alike. Its connection runs the node's PRAGMAs (<c>synchronous=FULL</c>).</summary>
public sealed class SqliteWriteJournalSpec : JournalSpecBase, IClassFixture<SqliteFileFixture>
{
    private const long Full = 2;
    private readonly WriterConnections _writer;

    public SqliteWriteJournalSpec(SqliteFileFixture file, ITestOutputHelper output) : this(file, output, new WriterConnections())
    {
    }

    private SqliteWriteJournalSpec(SqliteFileFixture file, ITestOutputHelper output, WriterConnections writer)
        : base(file.Database, output, setup => setup.And(new SqliteWriteJournalSetup(connectionOpened: writer.Opened)))
    {
        _writer = writer;
    }

    [Fact]
    public async Task The_rows_it_writes_are_the_rows_the_plugin_writes_for_the_same_events()
    {
        var before = DateTime.UtcNow.Ticks;
        using var pluginFile = new SqliteFileFixture();
        var plugin = ActorSystem.Create("plugin-writer", PersistentActorSystemSetup.For(pluginFile.Database.Settings,
            ConfigurationFactory.ParseString(SqliteWriteJournal.PluginWriterHocon)
                .WithFallback(Overrides)));
        const string id = "probe-same-events";
        try
        {
            foreach (var system in new[] { Sys, plugin })
            {
                var replies = CreateTestProbe(system);
                var (probe, _) = StartProbe(id, system, replies);
                foreach (var (from, count, tagged) in new[] { (1L, 3, true), (4L, 1, false), (5L, 2, false), (7L, 1, true) })
                {
                    probe.Tell(new Orchestrator.Core.Diagnostics.ProbeCommands.Write(from, count, tagged), replies.Ref);
                    replies.ReceiveN(count, TimeSpan.FromSeconds(30));
                }
            }
        }
        finally
        {
            await plugin.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        }

        var after = DateTime.UtcNow.Ticks;
        var ours = await RowsAsync(Database, id);
        var theirs = await RowsAsync(pluginFile.Database, id);
        Assert.Equal(7, ours.Journal.Count);
        Assert.Equal(theirs.Journal, ours.Journal);
        Assert.Equal(theirs.Tags, ours.Tags);
        Assert.NotEmpty(ours.Tags);
        Assert.All(ours.Created.Concat(theirs.Created), created => Assert.InRange(created, before, after));
        Assert.True(_writer.Opens > 0, "The writer's connection never opened: the events went another way.");
    }

    [Fact]
    public void The_writers_connection_syncs_every_commit_and_waits_when_the_file_is_busy()
    {
        var (probe, _) = StartProbe(NewPersistenceId());
        Write(probe, 1, 1, tagged: false);
        Assert.True(_writer.Opens > 0, "The writer's connection never opened: the events went another way.");
        Assert.Equal(Full, _writer.Synchronous);
        Assert.Equal((long)Database.Settings.SqliteBusyTimeout.TotalMilliseconds, _writer.BusyTimeout);
    }

    /// <summary>The journal's rows but their ordering, time and writer (the plugin's own and this file's differ): the
    /// journal's of <paramref name="persistenceId"/> in order, and each tag row with the sequence number of the journal row its ordering names.</summary>
    private static async Task<(List<string> Journal, List<string> Tags, List<long> Created)> RowsAsync(SpecDatabase database, string persistenceId)
    {
        await using var connection = await database.OpenAsync();
        var journal = await ReadAsync(connection,
            "SELECT deleted, persistence_id, sequence_number, hex(message), identifier, manifest, writer_uuid IS NOT NULL, created FROM journal " +
            $"WHERE persistence_id = '{persistenceId}' ORDER BY ordering");
        var tags = await ReadAsync(connection,
            "SELECT t.tag, t.persistence_id, t.sequence_nr, j.sequence_number FROM tags t JOIN journal j ON j.ordering = t.ordering_id " +
            $"WHERE t.persistence_id = '{persistenceId}' ORDER BY t.ordering_id, t.tag");
        return (journal.Select(r => string.Join('|', r.Take(7))).ToList(), tags.Select(r => string.Join('|', r)).ToList(),
            journal.Select(r => Convert.ToInt64(r[7], System.Globalization.CultureInfo.InvariantCulture)).ToList());
    }

    private static async Task<List<object[]>> ReadAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>What the writer's connection had when it last opened.</summary>
    private sealed class WriterConnections
    {
        private int _opens;

        public int Opens => Volatile.Read(ref _opens);
        public long Synchronous { get; private set; } = -1;
        public long BusyTimeout { get; private set; } = -1;

        public void Opened(SqliteConnection connection)
        {
            Synchronous = Pragma(connection, "synchronous");
            BusyTimeout = Pragma(connection, "busy_timeout");
            Interlocked.Increment(ref _opens);
        }

        private static long Pragma(SqliteConnection connection, string name)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA {name};";
            return (long)command.ExecuteScalar()!;
        }
    }
}
