using Xunit.Abstractions;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary><see cref="PersistenceSpec"/> on a real PostgreSQL server, as a cluster runs.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlPersistenceSpec(PostgresFixture postgres, ITestOutputHelper output)
    : PersistenceSpec(postgres.DatabaseFor(typeof(PostgreSqlPersistenceSpec)), output)
{
    protected override string UniqueKeyViolation => "23505: duplicate key value violates unique constraint";
}
