using Xunit.Abstractions;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary><see cref="RecoveryFailureSpec"/> on a real PostgreSQL server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlRecoveryFailureSpec(PostgresFixture postgres, ITestOutputHelper output)
    : RecoveryFailureSpec(postgres.DatabaseFor(typeof(PostgreSqlRecoveryFailureSpec)), output);
