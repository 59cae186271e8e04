using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Node.Persistence;

/// <summary>The PRAGMAs every journal connection needs (durability, busy timeout), run once per physical SQLite
/// connection. Microsoft.Data.Sqlite pools the native connection and a PRAGMA's setting lives in it, so a connection
/// reopened from the pool still has them: running them again on every open cost each journal write two more
/// statements. A connection is known by its native handle, which the pool keeps for the physical connection's life
/// (a cleared pool closes it, and its replacement is a new handle, so it gets the PRAGMAs again).</summary>
internal sealed class SqliteConnectionPragmas(string pragmas)
{
    private static readonly object Applied = new();

    // Keyed weakly on the native handle object: an entry goes with the physical connection it describes.
    private readonly ConditionalWeakTable<object, object> _applied = new();

    /// <summary>Runs the PRAGMAs on <paramref name="connection"/> unless its physical connection already had them.</summary>
    public void Apply(DbConnection connection)
    {
        var handle = (connection as SqliteConnection)?.Handle;
        if (handle is not null && _applied.TryGetValue(handle, out _))
            return;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = pragmas;
            command.ExecuteNonQuery();
        }

        if (handle is not null)
            _applied.AddOrUpdate(handle, Applied);
    }
}
