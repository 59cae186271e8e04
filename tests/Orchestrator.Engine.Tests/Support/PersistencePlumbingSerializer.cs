using System.Collections.Concurrent;
using System.Reflection;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;
using Orchestrator.Engine.Serialization;

namespace Orchestrator.Engine.Tests.Support;

/// <summary>Lets <c>serialize-messages = on</c> run in specs that persist. Akka's own journal, snapshot and query
/// plumbing messages (a journal's replies through its resequencer, <c>EventEnvelope</c>s of queries, the test journal's
/// controls) are node-local by design and never cross a node, but Akka cannot mark them so: verifying them, it falls back
/// to Newtonsoft, which cannot read them back. Bound to those types in <see cref="EngineTestConfig"/>, this serializer
/// verifies what matters in them instead, each of our events and snapshots they carry, by a round trip through the
/// serializer bound to it (which must be <see cref="OrchestratorJsonSerializer"/>), and then hands the message itself
/// back. So are Akka.Persistence.Sql's own: its journal tells itself <c>WriteFinished</c> (holding a task), its query's
/// sequence actor <c>NewOrderingIds</c> (an immutable list Newtonsoft reads back as null).</summary>
internal sealed class PersistencePlumbingSerializer(ExtendedActorSystem system) : Akka.Serialization.Serializer(system)
{
    /// <summary>The plumbing types, by name: those of an assembly the spec's project does not load (Akka.Persistence.Sql
    /// in the Engine's specs) are left out of <see cref="Bindings"/>, as Akka warns of a binding it cannot resolve.</summary>
    private static readonly string[] PlumbingTypes =
    [
        "Akka.Persistence.Journal.AsyncWriteJournal+Desequenced, Akka.Persistence",
        typeof(IJournalMessage).AssemblyQualifiedName!,
        typeof(ISnapshotMessage).AssemblyQualifiedName!,
        typeof(EventEnvelope).AssemblyQualifiedName!,
        "Akka.Persistence.TestKit.TestJournal+UseWriteInterceptor, Akka.Persistence.TestKit",
        "Akka.Persistence.TestKit.TestJournal+UseRecoveryInterceptor, Akka.Persistence.TestKit",
        "Akka.Persistence.Sql.Journal.Types.WriteFinished, Akka.Persistence.Sql",
        "Akka.Persistence.Sql.Query.InternalProtocol.NewOrderingIds, Akka.Persistence.Sql",
    ];

    /// <summary>The HOCON binding the plumbing types this process can load to this serializer.</summary>
    public static string Bindings { get; } = $$"""
        akka.actor.serializers.persistence-plumbing = "{{typeof(PersistencePlumbingSerializer).AssemblyQualifiedName}}"
        akka.actor.serialization-bindings {
        {{string.Join("\n", PlumbingTypes.Where(t => Type.GetType(t, throwOnError: false) is not null).Select(t => $"  \"{t}\" = persistence-plumbing"))}}
        }
        """;

    private readonly ConcurrentDictionary<long, object> _inFlight = new();
    private long _next;

    /// <inheritdoc />
    public override int Identifier => 7431;

    /// <inheritdoc />
    public override bool IncludeManifest => false;

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        foreach (var carried in Carried(obj))
            Verify(carried);
        var id = Interlocked.Increment(ref _next);
        _inFlight[id] = obj;
        return BitConverter.GetBytes(id);
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, Type type) =>
        _inFlight.TryRemove(BitConverter.ToInt64(bytes), out var message)
            ? message
            : throw new System.Runtime.Serialization.SerializationException("a persistence plumbing message can only be read back in the system that wrote it");

    /// <summary>Round-trips one of our events or snapshots through the serializer bound to it.</summary>
    private void Verify(object carried)
    {
        if (carried.GetType().Assembly.GetName().Name?.StartsWith("Orchestrator", StringComparison.Ordinal) != true)
            return;
        var serializer = system.Serialization.FindSerializerFor(carried);
        if (serializer is not OrchestratorJsonSerializer json)
            throw new System.Runtime.Serialization.SerializationException($"{carried.GetType()} is persisted but bound to {serializer.GetType().Name}, not OrchestratorJsonSerializer");
        var back = system.Serialization.Deserialize(json.ToBinary(carried), json.Identifier, json.Manifest(carried));
        if (back.GetType() != carried.GetType())
            throw new System.Runtime.Serialization.SerializationException($"{carried.GetType()} came back as {back.GetType()}");
    }

    /// <summary>The events and snapshots a plumbing message carries.</summary>
    private static IEnumerable<object> Carried(object message) => message switch
    {
        IPersistentRepresentation p => Carried(p.Payload).Prepend(p.Payload),
        Tagged t => [t.Payload],
        WriteMessageSuccess w => Carried(w.Persistent),
        WriteMessageFailure f => Carried(f.Persistent),
        ReplayedMessage r => Carried(r.Persistent),
        SaveSnapshot s => [s.Snapshot],
        LoadSnapshotResult { Snapshot: { } selected } => [selected.Snapshot],
        EventEnvelope e => Carried(e.Event).Prepend(e.Event),
        _ when message.GetType().Name == "Desequenced" => DesequencedMessage(message) is { } inner ? Carried(inner) : [],
        _ => [],
    };

    /// <summary>What Akka's journal hands its resequencer to pass on (an internal type: read by reflection).</summary>
    private static object? DesequencedMessage(object desequenced)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var type = desequenced.GetType();
        return type.GetProperty("Message", flags)?.GetValue(desequenced) ?? type.GetField("Message", flags)?.GetValue(desequenced);
    }
}
