using System.Collections.Immutable;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Sql.Journal;
using Akka.Serialization;
using Akka.Util;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Node.Persistence;

/// <summary>What <see cref="SqliteWriteJournal"/> takes that the configuration cannot carry: on a node, the readiness
/// monitor's fault signal; in specs, a look at the writer's connection as it opens.</summary>
public sealed class SqliteWriteJournalSetup(JournalFaults? faults = null, Action<SqliteConnection>? connectionOpened = null) : Setup
{
    /// <summary>Hears of every failed write, when given.</summary>
    public JournalFaults? Faults { get; } = faults;

    /// <summary>Called with the writer's connection each time it opens, after its PRAGMAs, when given.</summary>
    public Action<SqliteConnection>? ConnectionOpened { get; } = connectionOpened;
}

/// <summary>Akka.Persistence.Sql's journal on SQLite with its own write path (<see cref="SqliteJournalWriter"/>): the
/// same rows in the same tables (<c>SqliteWriteJournalSpec</c>), so the plugin's replay, deletion, highest sequence
/// number and queries read them as they read the rows it wrote itself, before and after. An event that cannot be serialized
/// rejects its write (the persistent actor is told, and goes on), as the plugin does; a write that fails fails the
/// persistent actor's write.</summary>
public sealed class SqliteWriteJournal : SqlWriteJournal
{
    /// <summary>HOCON that makes the plugin's own journal write the events again, as before this one: the baseline the
    /// specs and benchmarks compare it with.</summary>
    public const string PluginWriterHocon =
        "akka.persistence.journal.sql.class = \"Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql\"";

    private readonly SqliteJournalWriter _writer;
    private readonly Akka.Serialization.Serialization _serialization;
    private readonly string? _defaultSerializer;

    /// <summary>Created by Akka.Persistence from the journal's configuration (<c>class</c> in the plugin's section).</summary>
    public SqliteWriteJournal(Config journalConfig) : base(journalConfig)
    {
        var setup = Context.System.Settings.Setup.Get<SqliteWriteJournalSetup>();
        var faults = setup.HasValue ? setup.Value.Faults : null;
        var opened = setup.HasValue ? setup.Value.ConnectionOpened : null;
        _serialization = Context.System.Serialization;
        _defaultSerializer = journalConfig.GetString("serializer", null);
        _writer = new SqliteJournalWriter(
            journalConfig.GetString("connection-string"), journalConfig.GetString("connection-pragmas", ""), Guid.NewGuid().ToString("N"),
            journalConfig.GetInt("batch-size", 100), faults is null ? null : faults.Signal, opened);
    }

    /// <inheritdoc />
    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow.Ticks;
        var writes = messages.ToList();
        var rows = new List<SqliteJournalRow>();
        Exception[]? rejections = null; // null where the write was taken, as the plugin answers
        for (var i = 0; i < writes.Count; i++)
        {
            try
            {
                rows.AddRange(RowsOf(writes[i], now));
            }
            catch (Exception e)
            {
                (rejections ??= new Exception[writes.Count])[i] = e;
            }
        }

        IImmutableList<Exception>? result = rejections is null ? null : ImmutableList.CreateRange(rejections);
        return rows.Count == 0
            ? Task.FromResult(result!)
            : _writer.WriteAsync(writes[0].PersistenceId, rows).ContinueWith(
                (written, r) =>
                {
                    written.GetAwaiter().GetResult(); // a failed write fails them all
                    return (IImmutableList<Exception>)r!;
                },
                result, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        // A write of an earlier incarnation still being written is awaited, as the plugin does for its own.
        await _writer.WhenWrittenAsync(persistenceId);
        return await base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _writer.Dispose();
        base.PostStop();
    }

    /// <summary>The rows of one atomic write, serialized as the plugin does: the payload by its serializer, the tags of a
    /// <see cref="Tagged"/> payload into the tag table.</summary>
    private SqliteJournalRow[] RowsOf(AtomicWrite write, long now)
    {
        var payloads = (IImmutableList<IPersistentRepresentation>)write.Payload;
        var rows = new SqliteJournalRow[payloads.Count];
        for (var i = 0; i < payloads.Count; i++)
        {
            var representation = payloads[i];
            var (payload, tags) = representation.Payload is Tagged tagged
                ? (tagged.Payload, (IReadOnlyCollection<string>)tagged.Tags)
                : (representation.Payload, Array.Empty<string>());
            var serializer = _serialization.FindSerializerForType(payload.GetType(), _defaultSerializer);
            var manifest = serializer switch
            {
                SerializerWithStringManifest named => named.Manifest(payload),
                { IncludeManifest: true } => payload.GetType().TypeQualifiedName(),
                _ => string.Empty,
            };
            var message = Akka.Serialization.Serialization.WithTransport(
                _serialization.System, (serializer, payload), state => state.serializer.ToBinary(state.payload));
            rows[i] = new SqliteJournalRow(representation.PersistenceId, representation.SequenceNr,
                representation.Timestamp == 0 ? now : representation.Timestamp, message, serializer.Identifier, manifest, tags);
        }

        return rows;
    }
}
