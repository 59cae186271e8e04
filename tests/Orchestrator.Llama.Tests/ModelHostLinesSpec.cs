using Akka.Event;
using Orchestrator.Llama.Pool;

namespace Orchestrator.Llama.Tests;

/// <summary>A model host's lines as the node logs them: at the host's level without Akka's head, other output at Debug;
/// once the node told the host to stop, its remoting's complaints about the connection closing are information, and
/// nothing else changes.</summary>
public sealed class ModelHostLinesSpec
{
    private const string Head = "[WARNING][12/07/2026 03:49:49.610Z][Thread 0012]";
    private const string Reset = "[TcpServerHandler] Error caught channel [[::ffff:127.0.0.1]:37599->[::ffff:127.0.0.1]:41234](Id=a1b2) Connection reset by peer";
    private const string Gated = "[akka.tcp://model-host@127.0.0.1:37599/system/endpointManager/reliableEndpointWriter-akka.tcp%3A%2F%2Forchestrator%40127.0.0.1%3A24097-1] " +
                                 "Association with remote system akka.tcp://orchestrator@127.0.0.1:24097 has failed; address is now gated for 5000 ms.";

    [Fact]
    public void A_line_keeps_the_hosts_level_without_akkas_head_and_other_output_is_debug()
    {
        Assert.Equal((LogLevel.WarningLevel, Reset), ModelHostLines.Read(Head + Reset, stopping: false));
        Assert.Equal((LogLevel.ErrorLevel, "[pool] failed"), ModelHostLines.Read("[ERROR][12/07/2026 03:49:49.610Z][Thread 0003][pool] failed", stopping: false));
        Assert.Equal((LogLevel.DebugLevel, "llama_model_load: error"), ModelHostLines.Read("llama_model_load: error", stopping: false));
    }

    [Fact]
    public void While_the_host_stops_its_connections_complaints_are_information_and_nothing_else_changes()
    {
        Assert.Equal((LogLevel.InfoLevel, Reset), ModelHostLines.Read(Head + Reset, stopping: true));
        Assert.Equal((LogLevel.InfoLevel, Gated), ModelHostLines.Read(Head + Gated, stopping: true));
        Assert.Equal((LogLevel.WarningLevel, "[akka://model-host/user/models/pool-tiny] slow"),
            ModelHostLines.Read(Head + "[akka://model-host/user/models/pool-tiny] slow", stopping: true));
    }
}
