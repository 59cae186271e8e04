using Xunit.Abstractions;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary><see cref="PersistenceSpec"/> on a SQLite file, as a single node runs.</summary>
public sealed class SqlitePersistenceSpec(SqliteFileFixture file, ITestOutputHelper output)
    : PersistenceSpec(file.Database, output), IClassFixture<SqliteFileFixture>
{
    protected override string UniqueKeyViolation => "UNIQUE constraint failed";
}
