using Microsoft.Data.Sqlite;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>The journal writer's statements on SQLite's C API: values bound by position go in as the driver would put
/// them, a RETURNING value comes back, and a failed run throws the driver's exception with SQLite's code and message and
/// leaves the statement ready to run again.</summary>
public sealed class SqliteStatementSpec : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public SqliteStatementSpec()
    {
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, k TEXT NOT NULL UNIQUE, n INTEGER, b BLOB, note TEXT)";
        create.ExecuteNonQuery();
    }

    [Fact]
    public void Binds_by_position_and_answers_what_the_statement_returns()
    {
        using var insert = SqliteStatement.Prepare(_connection, "INSERT INTO t (k, n, b, note) VALUES (?1, ?2, ?3, ?4) RETURNING id");

        var first = insert.Bind(1, "a").Bind(2, long.MaxValue).Bind(3, [1, 2, 3]).Bind(4, (string?)null).RunForInt64();
        var second = insert.Bind(1, "é").Bind(2, -1).Bind(3, []).Bind(4, "note").RunForInt64();

        Assert.Equal(first + 1, second);
        Assert.Equal(["a|9223372036854775807|blob 010203|null", "é|-1|blob |note"], Rows()); // an empty payload stays a blob, not NULL
    }

    [Fact]
    public void A_failed_run_throws_the_drivers_exception_and_the_statement_runs_again()
    {
        using var insert = SqliteStatement.Prepare(_connection, "INSERT INTO t (k) VALUES (?1)");
        insert.Bind(1, "same").Run();

        var failed = Assert.Throws<SqliteException>(() => insert.Bind(1, "same").Run());
        Assert.Equal(19, failed.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Contains("UNIQUE constraint failed: t.k", failed.Message);

        insert.Bind(1, "other").Run();
        Assert.Equal(["same|null|null |null", "other|null|null |null"], Rows());
    }

    [Fact]
    public void Sql_that_does_not_compile_is_refused_with_sqlites_message()
    {
        var refused = Assert.Throws<SqliteException>(() => SqliteStatement.Prepare(_connection, "INSERT INTO missing (k) VALUES (?1)"));
        Assert.Contains("no such table: missing", refused.Message);
    }

    public void Dispose() => _connection.Dispose();

    private List<string> Rows()
    {
        using var select = _connection.CreateCommand();
        select.CommandText = "SELECT k || '|' || coalesce(n, 'null') || '|' || typeof(b) || ' ' || hex(b) || '|' || coalesce(note, 'null') FROM t ORDER BY id";
        using var reader = select.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetString(0));
        return rows;
    }
}
