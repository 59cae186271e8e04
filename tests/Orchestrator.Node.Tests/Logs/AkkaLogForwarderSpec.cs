using Akka.Event;
using Orchestrator.Node.Logs;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Orchestrator.Node.Tests.Logs;

/// <summary>The level a forwarded Akka line gets: Akka's own, except that a model host's connection ending (the warning
/// of the endpoint's supervisor and the error under it, as Akka.Remote logs them when a host stops) is information;
/// the same lines for another member stay a warning and an error.</summary>
public sealed class AkkaLogForwarderSpec
{
    private const string HostEndpoint = "akka.tcp://orchestrator@127.0.0.1:24097/system/endpointManager/reliableEndpointWriter-akka.tcp%3A%2F%2Fmodel-host%40127.0.0.1%3A37599-1";
    private const string PeerEndpoint = "akka.tcp://orchestrator@127.0.0.1:24097/system/endpointManager/reliableEndpointWriter-akka.tcp%3A%2F%2Forchestrator%40127.0.0.1%3A24098-1";

    /// <summary>Akka.Remote's own (internal) exception for a connection that ended.</summary>
    private static Exception Disassociated() =>
        (Exception)Activator.CreateInstance(typeof(Akka.Remote.RemoteSettings).Assembly.GetType("Akka.Remote.EndpointDisassociatedException", throwOnError: true)!,
            "Disassociated")!;

    private static Warning GatedWarning(string source) => new(source, typeof(AkkaLogForwarderSpec),
        "Association with remote system akka.tcp://model-host@127.0.0.1:37599 has failed; address is now gated for 5000 ms. " +
        "Reason is: [Akka.Remote.EndpointDisassociatedException: Disassociated]");

    [Fact]
    public void A_model_hosts_connection_ending_is_information()
    {
        Assert.Equal(LogLevel.Information, AkkaLogForwarder.LevelOf(GatedWarning(HostEndpoint)));
        Assert.Equal(LogLevel.Information, AkkaLogForwarder.LevelOf(new Error(Disassociated(), HostEndpoint + "/endpointWriter", typeof(AkkaLogForwarderSpec), "Disassociated")));
    }

    [Fact]
    public void The_same_for_another_member_or_another_failure_of_a_host_keeps_its_level()
    {
        Assert.Equal(LogLevel.Warning, AkkaLogForwarder.LevelOf(GatedWarning(PeerEndpoint)));
        Assert.Equal(LogLevel.Error, AkkaLogForwarder.LevelOf(new Error(Disassociated(), PeerEndpoint + "/endpointWriter", typeof(AkkaLogForwarderSpec), "Disassociated")));
        Assert.Equal(LogLevel.Error, AkkaLogForwarder.LevelOf(new Error(new InvalidOperationException("serializer broke"), HostEndpoint + "/endpointWriter",
            typeof(AkkaLogForwarderSpec), "serializer broke")));
        Assert.Equal(LogLevel.Information, AkkaLogForwarder.LevelOf(new Info(HostEndpoint, typeof(AkkaLogForwarderSpec), "Removing receive buffers")));
    }
}
