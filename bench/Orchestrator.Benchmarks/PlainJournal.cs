using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Benchmarks;

/// <summary>The baseline under the plugin: the same rows written with plain INSERTs through the same driver
/// (Microsoft.Data.Sqlite / Npgsql, same connection string and PRAGMAs) into tables shaped like the journal's
/// (<c>plain_journal</c>, <c>plain_tags</c>: same columns, keys and indexes), and the journal read back with a plain SELECT.</summary>
internal sealed class PlainJournal(BenchDatabase database)
{
    private const string SqliteDdl = """
        CREATE TABLE IF NOT EXISTS [plain_journal]
        (
        	[ordering]        INTEGER        NOT NULL PRIMARY KEY AUTOINCREMENT,
        	[created]         INTEGER        NOT NULL,
        	[deleted]         Bit            NOT NULL,
        	[persistence_id]  NVarChar(255)  NOT NULL,
        	[sequence_number] INTEGER        NOT NULL,
        	[message]         VarBinary      NOT NULL,
        	[manifest]        NVarChar(500)      NULL,
        	[identifier]      INTEGER            NULL,
        	[writer_uuid]     NVarChar(128)      NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS plain_journal_uq ON plain_journal (persistence_id, sequence_number);
        CREATE INDEX IF NOT EXISTS plain_journal_created_idx ON plain_journal (created);
        CREATE INDEX IF NOT EXISTS plain_journal_sequence_number_idx ON plain_journal (sequence_number);
        CREATE TABLE IF NOT EXISTS [plain_tags]
        (
        	[ordering_id]    INTEGER       NOT NULL,
        	[tag]            NVarChar(64)  NOT NULL,
        	[sequence_nr]    INTEGER       NOT NULL,
        	[persistence_id] NVarChar(255) NOT NULL,
        	CONSTRAINT [PK_plain_tags] PRIMARY KEY ([ordering_id], [tag])
        );
        CREATE INDEX IF NOT EXISTS plain_tags_persistence_id_sequence_nr_idx ON plain_tags (persistence_id, sequence_nr);
        CREATE INDEX IF NOT EXISTS plain_tags_tag_idx ON plain_tags (tag);
        """;

    // Copies columns, defaults (the ordering sequence), keys and indexes of the plugin's own tables.
    private const string PostgresDdl = """
        CREATE TABLE IF NOT EXISTS plain_journal (LIKE journal INCLUDING ALL);
        CREATE TABLE IF NOT EXISTS plain_tags (LIKE tags INCLUDING ALL);
        """;

    private const string Insert =
        "INSERT INTO plain_journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid) " +
        "VALUES (@created, @deleted, @pid, @seq, @message, @manifest, @identifier, @writer)";

    private const string InsertTagSqlite =
        "INSERT INTO plain_tags (ordering_id, tag, sequence_nr, persistence_id) VALUES (last_insert_rowid(), 'feed', @seq, @pid)";

    private const string InsertTagPostgres =
        "INSERT INTO plain_tags (ordering_id, tag, sequence_nr, persistence_id) VALUES (lastval(), 'feed', @seq, @pid)";

    private static readonly string Writer = Guid.NewGuid().ToString();

    /// <summary>One row: persistence id, sequence number, tagged.</summary>
    public readonly record struct Row(string PersistenceId, long SequenceNr, bool Tagged);

    /// <summary>The payload the probe's serializer writes for event <paramref name="n"/>, near enough in size and shape.</summary>
    private static byte[] Payload(long n) => JsonSerializer.SerializeToUtf8Bytes(new DiagnosticEvents.ProbeWritten(n, ""));

    /// <summary>Creates the tables shaped like the journal (the journal's own tables must exist already on PostgreSQL).</summary>
    public async Task CreateTablesAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = database.IsSqlite ? SqliteDdl : PostgresDdl;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Writes <paramref name="rows"/> in transactions of <paramref name="perTransaction"/> rows, one after another.</summary>
    public async Task InsertAsync(IReadOnlyList<Row> rows, int perTransaction)
    {
        await using var connection = await OpenAsync();
        if (database.IsSqlite)
            await InsertSqliteAsync((SqliteConnection)connection, rows, perTransaction);
        else
            await InsertPostgresAsync((NpgsqlConnection)connection, rows, perTransaction);
    }

    private static async Task InsertSqliteAsync(SqliteConnection connection, IReadOnlyList<Row> rows, int perTransaction)
    {
        for (var start = 0; start < rows.Count; start += perTransaction)
        {
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = Insert;
            var p = AddRowParameters(insert);
            await using var tag = connection.CreateCommand();
            tag.Transaction = tx;
            tag.CommandText = InsertTagSqlite;
            var tagSeq = tag.Parameters.Add("@seq", SqliteType.Integer);
            var tagPid = tag.Parameters.Add("@pid", SqliteType.Text);
            for (var i = start; i < Math.Min(start + perTransaction, rows.Count); i++)
            {
                SetRow(p, rows[i]);
                await insert.ExecuteNonQueryAsync();
                if (rows[i].Tagged)
                {
                    tagSeq.Value = rows[i].SequenceNr;
                    tagPid.Value = rows[i].PersistenceId;
                    await tag.ExecuteNonQueryAsync();
                }
            }

            await tx.CommitAsync();
        }
    }

    private static async Task InsertPostgresAsync(NpgsqlConnection connection, IReadOnlyList<Row> rows, int perTransaction)
    {
        for (var start = 0; start < rows.Count; start += perTransaction)
        {
            await using var tx = await connection.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(connection, tx);
            for (var i = start; i < Math.Min(start + perTransaction, rows.Count); i++)
            {
                var row = rows[i];
                var insert = new NpgsqlBatchCommand(Insert.Replace("@created", "$1").Replace("@deleted", "$2").Replace("@pid", "$3")
                    .Replace("@seq", "$4").Replace("@message", "$5").Replace("@manifest", "$6").Replace("@identifier", "$7").Replace("@writer", "$8"));
                insert.Parameters.Add(new NpgsqlParameter { Value = DateTime.UtcNow.Ticks });
                insert.Parameters.Add(new NpgsqlParameter { Value = false });
                insert.Parameters.Add(new NpgsqlParameter { Value = row.PersistenceId });
                insert.Parameters.Add(new NpgsqlParameter { Value = row.SequenceNr });
                insert.Parameters.Add(new NpgsqlParameter { Value = Payload(row.SequenceNr) });
                insert.Parameters.Add(new NpgsqlParameter { Value = "probe-written.v1" });
                insert.Parameters.Add(new NpgsqlParameter { Value = 1701 });
                insert.Parameters.Add(new NpgsqlParameter { Value = Writer });
                batch.BatchCommands.Add(insert);
                if (row.Tagged)
                {
                    var tag = new NpgsqlBatchCommand(InsertTagPostgres.Replace("@seq", "$1").Replace("@pid", "$2"));
                    tag.Parameters.Add(new NpgsqlParameter { Value = row.SequenceNr });
                    tag.Parameters.Add(new NpgsqlParameter { Value = row.PersistenceId });
                    batch.BatchCommands.Add(tag);
                }
            }

            await batch.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
    }

    /// <summary>Reads every column of every row of <paramref name="persistenceId"/> from the plugin's journal table, in
    /// sequence order, into memory; returns the row count.</summary>
    public async Task<int> SelectJournalAsync(string persistenceId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ordering, created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid " +
                              "FROM journal WHERE persistence_id = @pid AND deleted = @deleted ORDER BY sequence_number";
        Parameter(command, "@pid", persistenceId);
        Parameter(command, "@deleted", false);
        var rows = new List<(long, long, string, long, byte[], string?, int?, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(3), reader.GetInt64(4), (byte[])reader.GetValue(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        return rows.Count;
    }

    /// <summary>A connection as the journal opens it: same connection string, and on SQLite the same PRAGMAs.</summary>
    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = database.IsSqlite ? new SqliteConnection(database.ConnectionString) : new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        if (database.IsSqlite)
        {
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = JournalConnectionSetup.SqlitePragmas(database.Settings);
            await pragma.ExecuteNonQueryAsync();
        }

        return connection;
    }

    /// <summary>A prepared single-row INSERT in its own transaction (autocommit), for the latency baseline.</summary>
    public async Task<Func<Row, Task>> SingleRowWriterAsync(DbConnection connection)
    {
        var insert = connection.CreateCommand();
        insert.CommandText = Insert;
        var p = AddRowParameters(insert);
        await insert.PrepareAsync();
        return async row =>
        {
            SetRow(p, row);
            await insert.ExecuteNonQueryAsync();
        };
    }

    private static DbParameter[] AddRowParameters(DbCommand command) =>
        new[] { "@created", "@deleted", "@pid", "@seq", "@message", "@manifest", "@identifier", "@writer" }
            .Select(name => Parameter(command, name, DBNull.Value)).ToArray();

    private static void SetRow(DbParameter[] p, Row row)
    {
        p[0].Value = DateTime.UtcNow.Ticks;
        p[1].Value = false;
        p[2].Value = row.PersistenceId;
        p[3].Value = row.SequenceNr;
        p[4].Value = Payload(row.SequenceNr);
        p[5].Value = "probe-written.v1";
        p[6].Value = 1701;
        p[7].Value = Writer;
    }

    private static DbParameter Parameter(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
        return p;
    }
}
