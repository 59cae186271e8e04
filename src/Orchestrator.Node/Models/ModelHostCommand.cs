using Akka.Actor;
using Akka.Configuration;
using Orchestrator.Llama.Pool;
using Orchestrator.Llama.Probe;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Models;

/// <summary>The node's <c>model-host</c> verb, the child side of <see cref="HostedModelPool"/>: reads its
/// <see cref="ModelHostStart"/> from standard input, serves that one pool from a <see cref="ModelManager"/> on an actor
/// system reached over loopback remoting, writes <see cref="ModelHostStart.ReadyPrefix"/> and the manager's path to
/// standard output, and logs to standard error. It stops when its standard input ends: the node stopped or died.</summary>
public static class ModelHostCommand
{
    /// <summary>The name of a model host's actor system: its address is <c>akka.tcp://model-host@...</c>.</summary>
    public const string SystemName = "model-host";

    /// <summary>The host's actor system settings over the node's defaults (its serializers): remoting on a free
    /// loopback port, no cluster, no persistence.</summary>
    private const string HostHocon = """
        akka {
          actor.provider = remote
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          loglevel = INFO
          stdout-loglevel = WARNING
          coordinated-shutdown.run-by-clr-shutdown-hook = off
        }
        """;

    /// <summary>Runs a host; returns the process exit code (0 when the node closed its input, 2 on a bad start line).</summary>
    public static async Task<int> RunAsync(TextReader input, TextWriter output, TextWriter error)
    {
        ModelHostStart start;
        try
        {
            start = ModelHostStart.Parse(await input.ReadLineAsync());
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"model host: {e.Message}");
            return 2;
        }
        // Akka's standard-out logger writes to Console.Out: standard output carries only the ready line.
        Console.SetOut(error);
        var config = ConfigurationFactory.ParseString(HostHocon).WithFallback(NodeConfigLoader.Load(null, _ => null).Config);
        using var system = ActorSystem.Create(SystemName, config);
        var nodeDll = typeof(ModelHostCommand).Assembly.Location;
        var probe = start.ProbeCache is { } cache ? ModelProbe.ForNode(nodeDll, cache, start.ProbeTimeout) : null;
        var models = system.ActorOf(ModelManager.Props([start.Pool], probe: probe, hosting: ModelHosting.InProcess("the model host of the node's pool")), ModelHostStart.ActorName);
        var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
        await output.WriteLineAsync($"{ModelHostStart.ReadyPrefix}{models.Path.ToStringWithAddress(address)}");
        await output.FlushAsync();
        while (await input.ReadLineAsync() is not null)
        {
            // Nothing more is said on standard input; its end is the node's.
        }
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        return 0;
    }
}
