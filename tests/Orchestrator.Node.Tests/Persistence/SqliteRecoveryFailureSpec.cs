using Xunit.Abstractions;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary><see cref="RecoveryFailureSpec"/> on a SQLite file.</summary>
public sealed class SqliteRecoveryFailureSpec(SqliteFileFixture file, ITestOutputHelper output)
    : RecoveryFailureSpec(file.Database, output), IClassFixture<SqliteFileFixture>;
