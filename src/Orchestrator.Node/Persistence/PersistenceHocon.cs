using Akka.Configuration;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Persistence;

/// <summary>The HOCON that points Akka.Persistence at Akka.Persistence.Sql (journal, snapshot store, read journal)
/// with the write batching measured to work on SQLite and PostgreSQL. The plugin's own defaults are appended as a
/// fallback by <see cref="DefaultsFallback"/>, since its Hosting package (which would load them) is not available.</summary>
public static class PersistenceHocon
{
    /// <summary>The tag the node-wide feed reads: only events marked <c>IFeedEvent</c> carry it.</summary>
    public const string FeedTag = Orchestrator.Engine.Persistence.FeedTagger.FeedTag;

    /// <summary>The plugin's defaults, to append below everything else.</summary>
    public static Config DefaultsFallback => Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration;

    /// <summary>The journal, snapshot and query configuration for <paramref name="settings"/>.</summary>
    public static Config For(PersistenceSettings settings)
    {
        var provider = settings.Provider == PersistenceProvider.Sqlite ? "SQLite.MS" : "PostgreSQL.15";
        var connection = HoconText.Quote(ConnectionStrings.For(settings));
        var refresh = $"{(int)settings.QueryRefreshInterval.TotalMilliseconds}ms";
        // On SQLite the journal writes through its own path (SqliteWriteJournal); the plugin reads what it writes.
        var sqliteWriter = settings.Provider != PersistenceProvider.Sqlite
            ? ""
            : $$"""
              class = "{{typeof(SqliteWriteJournal).FullName}}, {{typeof(SqliteWriteJournal).Assembly.GetName().Name}}"
              connection-pragmas = {{HoconText.Quote(JournalConnectionSetup.SqlitePragmas(settings))}}
              """;
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  provider-name = "{{provider}}"
                  connection-string = {{connection}}
                  table-mapping = default
                  tag-write-mode = TagTable
                  {{sqliteWriter}}
                  auto-initialize = on
                  # Batching: one transaction carries up to batch-size rows; rows go in multi-row INSERTs.
                  batch-size = {{settings.BatchSize}}
                  db-round-trip-max-batch-size = {{settings.BatchSize}}
                  db-round-trip-max-tag-batch-size = {{settings.BatchSize}}
                  parallelism = {{settings.Parallelism}}
                  max-row-by-row-size = 0
                  # A new linq2db connection from the same options for each write, not a clone of a template one: a
                  # clone rebuilds the table mapping (a new MappingSchema, its column accessors compiled again) on
                  # every write. JournalMappingSpec counts the mappings.
                  use-clone-connection = off
                  # After a database outage, try again within seconds rather than Akka's default 30 s.
                  circuit-breaker { max-failures = 10, call-timeout = 10s, reset-timeout = 3s }
                  event-adapters {
                    feed-tagger = "Orchestrator.Engine.Persistence.FeedTagger, Orchestrator.Engine"
                  }
                  event-adapter-bindings {
                    "Orchestrator.Core.Messaging.IFeedEvent, Orchestrator.Core" = feed-tagger
                  }
                }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  provider-name = "{{provider}}"
                  connection-string = {{connection}}
                  table-mapping = default
                  auto-initialize = on
                  use-clone-connection = off
                  circuit-breaker { max-failures = 5, call-timeout = 20s, reset-timeout = 3s }
                }
              }
              query.journal.sql {
                provider-name = "{{provider}}"
                connection-string = {{connection}}
                table-mapping = default
                tag-read-mode = TagTable
                use-clone-connection = off
                refresh-interval = {{refresh}}
                journal-sequence-retrieval.query-delay = {{refresh}}
                # Events one query reads at once, and so holds until its stream has taken them: each follower of a feed
                # holds up to this many (the plugin's default, 500, held 500 events per follower).
                max-buffer-size = {{settings.QueryBatchSize}}
                # Queries run at once; the others wait in line. A query waiting for its turn is not a failure: with the
                # plugin's 3 s, 200 followers of a feed on 2 cores ended with 'outage' (AskTimeoutException) while the
                # database was fine. 16 at once keeps what the waiting ones hold small (a batch is read only in its turn).
                max-concurrent-queries = 16
                query-throttle-timeout = 10m
              }
            }
            """);
    }
}
