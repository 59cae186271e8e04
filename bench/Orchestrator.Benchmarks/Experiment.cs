using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Benchmarks;

/// <summary>Settings to try without editing the node: <c>--set path=value</c> (HOCON over the node's persistence
/// configuration, e.g. <c>akka.persistence.journal.sql.replay-batch-size=10000</c>), <c>--sqlite-hook sync</c> (the
/// node's PRAGMAs in linq2db's synchronous after-open hook only, without the yield) and <c>--journal-writer plugin</c>
/// (on SQLite, events written by Akka.Persistence.Sql's own journal with the yield its batching needs, as before
/// <c>SqliteWriteJournal</c>). Printed at the start of a run;
/// with none given, every figure is the node's own configuration.</summary>
internal static class Experiment
{
    public static Config Overrides { get; private set; } = Config.Empty;

    public static string? SqliteHook { get; private set; }

    public static string Describe { get; private set; } = "node defaults";

    /// <summary><c>--session-snapshot-every N</c>: the engine benchmarks' sessions snapshot every N events (or every as
    /// many as they have tasks, when that is more) instead of the node's default.</summary>
    public static int? SessionSnapshotEvery { get; private set; }

    public static void Parse(string[] args)
    {
        var sets = args.Select((a, i) => (a, i)).Where(x => x.a == "--set" && x.i + 1 < args.Length).Select(x => args[x.i + 1]).ToList();
        Overrides = sets.Aggregate(Config.Empty, (c, s) => ConfigurationFactory.ParseString(s).WithFallback(c));
        var hook = Array.IndexOf(args, "--sqlite-hook");
        SqliteHook = hook >= 0 && hook + 1 < args.Length ? args[hook + 1] : null;
        var writer = Array.IndexOf(args, "--journal-writer");
        if (writer >= 0 && writer + 1 < args.Length)
        {
            if (args[writer + 1] != "plugin")
                throw new ArgumentException($"--journal-writer: expected plugin, got '{args[writer + 1]}'");
            // The plugin's own write path on SQLite, as the node wrote before SqliteWriteJournal: its batching needed the yield.
            Overrides = ConfigurationFactory.ParseString(SqliteWriteJournal.PluginWriterHocon).WithFallback(Overrides);
            SqliteHook ??= "yield";
            sets.Add("journal-writer=plugin");
        }
        var every = Array.IndexOf(args, "--session-snapshot-every");
        SessionSnapshotEvery = every >= 0 && every + 1 < args.Length ? int.Parse(args[every + 1], System.Globalization.CultureInfo.InvariantCulture) : null;
        var parts = sets.Concat(SqliteHook is null ? [] : [$"sqlite-hook={SqliteHook}"])
            .Concat(SessionSnapshotEvery is { } n ? [$"session-snapshot-every={n}"] : []).ToList();
        if (parts.Count > 0)
            Describe = "EXPERIMENT " + string.Join(", ", parts);
    }

    /// <summary>The setup with the experiment's connection hook, if any.</summary>
    public static ActorSystemSetup Apply(ActorSystemSetup setup, PersistenceSettings settings)
    {
        if (SqliteHook is null || settings.Provider != PersistenceProvider.Sqlite)
            return setup;
        var pragmas = JournalConnectionSetup.SqlitePragmas(settings);
        var options = new DataOptions().UseConnectionString(ProviderName.SQLiteMS, ConnectionStrings.For(settings));
        options = SqliteHook switch
        {
            "sync" => options.UseAfterConnectionOpened(c => Execute(c, pragmas)),
            "yield" => options.UseAfterConnectionOpened(c => Execute(c, pragmas), async (c, _) => { await Task.Yield(); Execute(c, pragmas); }),
            _ => throw new ArgumentException($"--sqlite-hook: expected sync or yield, got '{SqliteHook}'"),
        };
        return setup.And(new DataOptionsSetup(options));
    }

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
