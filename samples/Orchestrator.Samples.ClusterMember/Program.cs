using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Orchestrator.Client;
using Orchestrator.Messages.Sessions;
using Orchestrator.Samples.ClusterMember;
using static Orchestrator.Messages.Sessions.SessionCommands;

// cluster-member <member|cluster-client> <node address> start <template> [NAME=VALUE ...]
// cluster-member <member|cluster-client> <node address> follow <session id>
if (args.Length < 4 || args[0] is not ("member" or "cluster-client") || args[2] is not ("start" or "follow")
    || !Address.TryParse(args[1], out var node) || (args[2] == "follow" && args.Length != 4)
    || args.Skip(4).Any(a => !a.Contains('=')))
{
    Console.Error.WriteLine("""
        usage: Orchestrator.Samples.ClusterMember <member|cluster-client> <node address> start <template> [NAME=VALUE ...]
               Orchestrator.Samples.ClusterMember <member|cluster-client> <node address> follow <session id>
        the node address is its Akka address, e.g. akka.tcp://orchestrator@127.0.0.1:9111
        """);
    return 2;
}
var member = args[0] == "member";

// An ActorSystem of its own, named like the cluster's; the contracts' serializer from Orchestrator.Client.
var config = ConfigurationFactory.ParseString($$"""
    akka.actor.provider = {{(member ? "cluster" : "remote")}}
    akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0, maximum-frame-size = 4MiB }
    akka.cluster.roles = ["{{ClusterRoles.Client}}"]
    akka.coordinated-shutdown.exit-clr = off
    akka.loglevel = WARNING
    """).WithFallback(OrchestratorClientConfig.Default);
using var system = ActorSystem.Create(node.System, config);

Action<ISessionMessage, IActorRef> send;
if (member)
{
    // A client-only member: it joins through the node, hosts no shard, and reaches sessions through a region proxy.
    Cluster.Get(system).JoinSeedNodes([node]);
    var sessions = await SessionShards.StartProxyAsync(system);
    send = (message, sender) => sessions.Tell(message, sender);
}
else
{
    // Not a member: a ClusterClient to the node's receptionist, which hands each message to its session gateway.
    var client = SessionGateway.StartClusterClient(system, [node]);
    send = (message, sender) => client.Tell(SessionGateway.Send(message), sender);
}

var sessionId = args[2] == "start" ? $"sample-{Guid.NewGuid():N}"[..15] : args[3];
var start = args[2] == "start"
    ? new StartSession(sessionId, args[3], args.Skip(4).Select(a => a.Split('=', 2)).DistinctBy(kv => kv[0]).ToDictionary(kv => kv[0], kv => kv[1]))
    : null;
var exit = new TaskCompletionSource<int>();
system.ActorOf(Props.Create(() => new SessionFollower(send, sessionId, start, member ? null : TimeSpan.FromSeconds(10), exit)), "follower");

int code;
try
{
    code = await exit.Task.WaitAsync(TimeSpan.FromMinutes(5));
}
catch (TimeoutException)
{
    Console.WriteLine("timed out");
    code = 1;
}
// Leaves the cluster gracefully (a member) and stops the system.
await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
return code;
