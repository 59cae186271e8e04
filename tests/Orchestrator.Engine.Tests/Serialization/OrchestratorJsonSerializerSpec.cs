using System.Text;
using Akka.Configuration;
using Orchestrator.Client.Serialization;
using Orchestrator.Core.Catalog;
using Orchestrator.Core.Messaging;
using Orchestrator.Engine.Serialization;
using Orchestrator.Messages;
using Orchestrator.Messages.Sessions;
using Xunit.Abstractions;
using static Orchestrator.Core.Models.ModelMessages;
using static Orchestrator.Messages.Sessions.SessionCommands;

namespace Orchestrator.Engine.Tests.Serialization;

/// <summary>The JSON serializer with the engine's own bindings: every registered message round-trips, every event,
/// snapshot and cross-node type of Core is registered, and stored data naming an unknown manifest or holding a corrupted
/// body is refused with the manifest named, as is writing a type that is not registered.</summary>
public sealed class OrchestratorJsonSerializerSpec(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(EngineConfig(), "serializer-spec", output)
{
    private static readonly Type[] Markers = [typeof(IPersistedEvent), typeof(ISnapshotState), typeof(IClusterMessage)];

    /// <summary>A message of the right shape that nobody registered.</summary>
    private sealed record NotRegistered(string Text) : IPersistedEvent;

    private OrchestratorJsonSerializer Serializer => new((Akka.Actor.ExtendedActorSystem)Sys);

    /// <summary>The engine's embedded reference.conf (serializer and bindings), with every message serialized.</summary>
    private static Config EngineConfig()
    {
        using var stream = typeof(OrchestratorJsonSerializer).Assembly.GetManifestResourceStream("Orchestrator.Engine.reference.conf")
                           ?? throw new InvalidOperationException("Orchestrator.Engine.reference.conf is not embedded.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString("akka.actor.serialize-messages = on")
            .WithFallback(ConfigurationFactory.ParseString(reader.ReadToEnd()));
    }

    public static TheoryData<string> Manifests => new(MessageCatalog.Default.Entries.Select(e => e.Name).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_registered_message_round_trips(string manifest)
    {
        Assert.True(MessageCatalog.Default.TryGetType(manifest, out var type));
        var sample = SampleMessages.Build(type);

        // Akka picks this serializer for it through a marker interface binding, as the journal and remoting do.
        var serializer = Assert.IsType<OrchestratorJsonSerializer>(Sys.Serialization.FindSerializerFor(sample));
        Assert.Equal(manifest, serializer.Manifest(sample));
        var bytes = serializer.ToBinary(sample);
        var back = Sys.Serialization.Deserialize(bytes, OrchestratorJsonSerializer.SerializerId, manifest);

        Equivalence.AssertEquivalent(sample, back);
        Assert.Equal(bytes, serializer.ToBinary(back));
    }

    public static TheoryData<string> ContractManifests => new(ManifestCatalog.Contracts.Entries.Select(e => e.Name).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(ContractManifests))]
    public void An_outside_application_writes_and_reads_every_contract_as_the_node_does(string manifest)
    {
        Assert.True(ManifestCatalog.Contracts.TryGetType(manifest, out var type));
        var sample = SampleMessages.Build(type);
        var outside = new ContractJsonSerializer((Akka.Actor.ExtendedActorSystem)Sys);

        Assert.Equal(Serializer.Identifier, outside.Identifier);
        Assert.Equal(Serializer.Manifest(sample), outside.Manifest(sample));
        Assert.Equal(Serializer.ToBinary(sample), outside.ToBinary(sample));
        Equivalence.AssertEquivalent(sample, outside.FromBinary(Serializer.ToBinary(sample), manifest));
    }

    [Fact]
    public void An_outside_application_knows_the_contracts_and_nothing_the_node_keeps_to_itself()
    {
        Assert.True(MessageCatalog.Default.TryGetType("start-session.v1", out _));
        Assert.True(ManifestCatalog.Contracts.TryGetType("start-session.v1", out _));
        Assert.False(ManifestCatalog.Contracts.TryGetType("task-dispatched.v1", out _));
        var outside = new ContractJsonSerializer((Akka.Actor.ExtendedActorSystem)Sys);
        Assert.Throws<SerializationException>(() => outside.FromBinary(Serializer.ToBinary(SampleMessages.Build(typeof(Generate))), "generate.v1"));
        Assert.All(ManifestCatalog.Contracts.Entries, e => Assert.Equal(typeof(IClusterMessage).Assembly, e.Type.Assembly));
    }

    [Fact]
    public void Every_event_snapshot_and_cross_node_type_of_Core_and_the_contracts_is_registered()
    {
        var types = typeof(IPersistedEvent).Assembly.GetTypes().Concat(typeof(IClusterMessage).Assembly.GetTypes())
            .Where(t => t is { IsAbstract: false, IsInterface: false } && Markers.Any(m => m.IsAssignableFrom(t)))
            .ToList();
        Assert.NotEmpty(types);
        var missing = types.Where(t => t.IsGenericTypeDefinition || !MessageCatalog.Default.TryGetManifest(t, out _))
            .Select(t => t.FullName).ToList();
        Assert.True(missing.Count == 0, $"Not registered in MessageCatalog (add them to their protocol's Manifests): {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_registered_type_carries_a_marker_interface_that_binds_it_to_the_serializer()
    {
        var unbound = MessageCatalog.Default.Entries.Where(e => !Markers.Any(m => m.IsAssignableFrom(e.Type)))
            .Select(e => $"{e.Name} ({e.Type.FullName})").ToList();
        Assert.True(unbound.Count == 0, $"Registered but bound to no serializer: {string.Join(", ", unbound)}");
    }

    [Theory]
    [InlineData("no-such-message.v1")]
    [InlineData("probe-written.v2")]
    [InlineData("Orchestrator.Core.Diagnostics.DiagnosticEvents+ProbeWritten, Orchestrator.Core")]
    [InlineData("")]
    public void An_unknown_manifest_is_refused_naming_it(string manifest)
    {
        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary("""{"number":1,"payload":""}"""u8.ToArray(), manifest));
        Assert.Contains($"'{manifest}'", error.Message);
    }

    public static TheoryData<string, string, byte[]> CorruptedBodies()
    {
        var data = new TheoryData<string, string, byte[]>();
        foreach (var entry in MessageCatalog.Default.Entries.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var valid = JsonOf(entry.Type);
            data.Add(entry.Name, "truncated", valid[..(valid.Length / 2)]);
            data.Add(entry.Name, "not UTF-8 JSON", [0xFF, 0xFE, 0x00, 0x7B]);
            data.Add(entry.Name, "empty", []);
            data.Add(entry.Name, "JSON null", "null"u8.ToArray());
            data.Add(entry.Name, "an array", "[1,2]"u8.ToArray());
            data.Add(entry.Name, "a string", "\"text\""u8.ToArray());
        }
        data.Add("probe-written.v1", "a missing property", """{"number":1}"""u8.ToArray());
        data.Add("probe-written.v1", "a property of the wrong type", """{"number":"one","payload":""}"""u8.ToArray());
        data.Add("probe-written.v1", "a number out of range", """{"number":1e400,"payload":""}"""u8.ToArray());
        data.Add("probe-written.v1", "null for a non-nullable property", """{"number":1,"payload":null}"""u8.ToArray());
        data.Add("probe-state.v1", "a property of the wrong type", """{"count":1,"sum":2,"maxNumber":3,"lastSequenceNr":4,"fromSnapshot":"yes"}"""u8.ToArray());
        return data;
    }

    [Theory]
    [MemberData(nameof(CorruptedBodies))]
    public void A_corrupted_body_is_refused_naming_its_manifest(string manifest, string corruption, byte[] body)
    {
        var error = Record.Exception(() => Serializer.FromBinary(body, manifest));
        Assert.True(error is SerializationException,
            $"A body that is {corruption} threw {error?.GetType().FullName ?? "nothing"} instead of SerializationException: {error?.Message}");
        Assert.Contains($"'{manifest}'", error!.Message);
    }

    [Fact]
    public void An_unregistered_type_is_refused_on_write()
    {
        var message = new NotRegistered("x");
        // The marker interface binds it to this serializer, which refuses it: it is never written under a made-up name.
        var serializer = Assert.IsType<OrchestratorJsonSerializer>(Sys.Serialization.FindSerializerFor(message));
        var onWrite = Assert.Throws<SerializationException>(() => serializer.ToBinary(message));
        Assert.Contains(typeof(NotRegistered).FullName!, onWrite.Message);
        Assert.Throws<SerializationException>(() => serializer.Manifest(message));
    }

    [Fact]
    public void Messages_written_before_they_carried_a_trace_context_still_read_and_the_context_round_trips()
    {
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var older = Sys.Serialization.Deserialize(Encoding.UTF8.GetBytes("""{"requestId":"r1","model":"tiny","prompt":"Hi."}"""),
            OrchestratorJsonSerializer.SerializerId, "generate.v1");
        var olderStart = Sys.Serialization.Deserialize(Encoding.UTF8.GetBytes("""{"sessionId":"s1","templateName":"t","inputs":{}}"""),
            OrchestratorJsonSerializer.SerializerId, "start-session.v1");
        var traced = new Generate("r2", "tiny", Prompt: "Hi.", TraceParent: traceParent);

        Assert.Null(Assert.IsType<Generate>(older).TraceParent);
        Assert.Null(Assert.IsType<StartSession>(olderStart).TraceParent);
        Assert.Equal(traceParent, Assert.IsType<Generate>(
            Sys.Serialization.Deserialize(Serializer.ToBinary(traced), OrchestratorJsonSerializer.SerializerId, "generate.v1")).TraceParent);
        Assert.DoesNotContain("traceParent", Encoding.UTF8.GetString(Serializer.ToBinary(traced with { TraceParent = null })));
    }

    private static byte[] JsonOf(Type type) =>
        Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(SampleMessages.Build(type), type, OrchestratorJsonSerializer.Options));
}
