using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Orchestrator.Node.Persistence;

/// <summary>One SQL statement compiled once on an open connection and run many times with its parameters bound by
/// position (<c>?1</c>, <c>?2</c>, …), straight through SQLite's C API: for the journal writer's few statements that
/// skips what Microsoft.Data.Sqlite does on every run of a command (finding each parameter by name, checking the
/// connection's transaction, building a data reader), about a third of the CPU of a commit of three rows here. A failed
/// run throws the same <see cref="SqliteException"/> as the driver would, and leaves the statement ready to run again.</summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    private SqliteStatement(sqlite3 db, sqlite3_stmt statement)
    {
        _db = db;
        _statement = statement;
    }

    /// <summary>Compiles <paramref name="sql"/> on <paramref name="connection"/>, which must stay open while it is used.</summary>
    public static SqliteStatement Prepare(SqliteConnection connection, string sql)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        return new SqliteStatement(db, statement ?? throw new ArgumentException("The SQL holds no statement.", nameof(sql)));
    }

    public SqliteStatement Bind(int position, string? value)
    {
        Check(value is null ? raw.sqlite3_bind_null(_statement, position) : raw.sqlite3_bind_text(_statement, position, value));
        return this;
    }

    public SqliteStatement Bind(int position, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, position, value));
        return this;
    }

    public SqliteStatement Bind(int position, byte[] value)
    {
        Check(raw.sqlite3_bind_blob(_statement, position, value));
        return this;
    }

    /// <summary>Runs the statement to its end.</summary>
    public void Run()
    {
        try
        {
            Finish(raw.sqlite3_step(_statement));
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs the statement to its end and answers the first column of the first row it returned.</summary>
    public long RunForInt64()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc == raw.SQLITE_DONE) throw new InvalidOperationException("The statement returned no row.");
            if (rc != raw.SQLITE_ROW) SqliteException.ThrowExceptionForRC(rc, _db);
            var value = raw.sqlite3_column_int64(_statement, 0);
            Finish(raw.sqlite3_step(_statement));
            return value;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    /// <summary>Steps past the rows left, from the result <paramref name="rc"/> of the last step, to the statement's end.</summary>
    private void Finish(int rc)
    {
        while (rc == raw.SQLITE_ROW) rc = raw.sqlite3_step(_statement);
        Check(rc == raw.SQLITE_DONE ? raw.SQLITE_OK : rc);
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }
}
