using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using Orchestrator.Engine.Serialization;
using Orchestrator.Engine.Tests.Support;
using Xunit.Abstractions;

namespace Orchestrator.Engine.Tests.Serialization;

/// <summary>A message that reaches a node over remoting under the node's serializer id with a manifest the node does not
/// register (here a .NET type name, as a forged or foreign sender would write one) is dropped and logged: it is never
/// deserialized into any type, nothing reaches the recipient, and the connection goes on carrying what is valid.</summary>
public sealed class WireManifestSpec(ITestOutputHelper output)
    : TestKit(ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        """).WithFallback(EngineTestConfig.Default), "wire", output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>What the foreign system sends: written by <see cref="ForgingSerializer"/>.</summary>
    public sealed record Forged;

    /// <summary>Writes <see cref="Forged"/> under the node's serializer id with a manifest that names a .NET type.</summary>
    public sealed class ForgingSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
    {
        public override int Identifier => OrchestratorJsonSerializer.SerializerId;

        public override string Manifest(object o) => "System.Diagnostics.Process, System.Diagnostics.Process";

        public override byte[] ToBinary(object obj) => Encoding.UTF8.GetBytes("""{"StartInfo":{"FileName":"/bin/sh"}}""");

        public override object FromBinary(byte[] bytes, string manifest) => throw new NotSupportedException();
    }

    [Fact]
    public async Task A_message_with_a_manifest_the_node_does_not_register_is_dropped_and_logged_and_the_connection_goes_on()
    {
        var target = CreateTestProbe();
        var logs = CreateTestProbe();
        Sys.EventStream.Subscribe(logs.Ref, typeof(Error));
        Sys.EventStream.Subscribe(logs.Ref, typeof(Warning));
        using var foreign = ActorSystem.Create("foreign", ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            akka.actor.serializers.forging = "{{typeof(ForgingSerializer).AssemblyQualifiedName}}"
            akka.actor.serialization-bindings { "{{typeof(Forged).AssemblyQualifiedName}}" = forging }
            """));
        var address = ((ExtendedActorSystem)Sys).Provider.DefaultAddress;
        var recipient = foreign.ActorSelection(new RootActorPath(address) / target.Ref.Path.Elements);

        recipient.Tell(new Forged());
        recipient.Tell("after the forged one");

        // Delivery is ordered on one connection: the first thing the recipient gets is the valid message.
        Assert.Equal("after the forged one", target.ExpectMsg<object>(Deadline));
        // Remoting says why it dropped the payload: the node's serializer knows no such manifest (it looked only in its catalog).
        logs.FishForMessage(m => m is LogEvent e && e.Message.ToString()!.Contains("Manifest=System.Diagnostics.Process", StringComparison.Ordinal)
            && e.Cause?.ToString().Contains("Unknown manifest 'System.Diagnostics.Process", StringComparison.Ordinal) == true, Deadline);
        recipient.Tell("still connected");
        Assert.Equal("still connected", target.ExpectMsg<object>(Deadline));
        await foreign.Terminate();
    }
}
