using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Cluster;

/// <summary>A real cluster on loopback for process tests: one throwaway PostgreSQL and node processes, every node a
/// seed, each serving the generated tiny model. Configured as a
/// container would be: <c>hocon/cluster-node.conf</c>, each node's ports and the seeds in <c>ORCH_*</c> variables. A node keeps
/// its ports when started again, so a restart comes back on the same address.</summary>
internal sealed class NodeCluster : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private readonly string _dir;
    private readonly string _config;
    private readonly PostgresServer _database;
    private readonly (int Remoting, int Api)[] _ports;
    private readonly NodeProcess?[] _nodes;
    private readonly List<NodeProcess> _stopped = [];

    private readonly int[] _seeds;

    private NodeCluster(string dir, string config, PostgresServer database, (int, int)[] ports, int[] seeds)
    {
        _seeds = seeds;
        _dir = dir;
        _config = config;
        _database = database;
        _ports = ports;
        _nodes = new NodeProcess?[ports.Length];
    }

    /// <summary>The database all nodes share.</summary>
    public PostgresServer Database => _database;

    /// <summary>The connection string of the nodes' database.</summary>
    public string ConnectionString { get; private init; } = "";

    /// <summary>Node <paramref name="i"/>'s remoting address, as the cluster lists it.</summary>
    public string Address(int i) => $"akka.tcp://orchestrator@127.0.0.1:{_ports[i].Remoting}";

    /// <summary>The running process of node <paramref name="i"/>.</summary>
    public NodeProcess this[int i] => _nodes[i] ?? throw new InvalidOperationException($"Node {i} is not running.");

    /// <summary>Every transcript, for a failure message.</summary>
    public string Transcripts => string.Join("\n\n", _stopped.Concat(_nodes.OfType<NodeProcess>())
        .Select((n, i) => $"=== process {i} (pid {n.Pid}) ===\n{n.Transcript}"));

    /// <summary>Starts PostgreSQL and <paramref name="nodes"/> nodes, and waits until every node is ready and sees all
    /// of them Up.</summary>
    /// <param name="seeds">The nodes listed as seeds (default: every node).</param>
    public static async Task<NodeCluster> StartAsync(string dir, int nodes, int[]? seeds = null, string extraConfig = "")
    {
        var database = await PostgresServer.StartAsync();
        var connection = await database.CreateDatabaseAsync("orchestrator");
        var model = Path.Combine(dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        var config = Path.Combine(dir, "cluster-node.conf");
        await File.WriteAllTextAsync(config, $$"""
            {{await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "hocon", "cluster-node.conf"))}}
            {{TinyModelNode.Config(model, TinyModelNode.ManuscriptReviewRoles, sequences: 2)}}
            orchestrator.sessions.max-tokens = 1024
            {{extraConfig}}
            """);
        var ports = Enumerable.Range(0, nodes).Select(_ => (FreePort.Next(), FreePort.Next())).ToArray();
        var cluster = new NodeCluster(dir, config, database, ports, seeds ?? Enumerable.Range(0, nodes).ToArray()) { ConnectionString = connection };
        for (var i = 0; i < nodes; i++)
            cluster.Start(i);
        for (var i = 0; i < nodes; i++)
            await cluster[i].WaitUntilReadyAsync(Deadline);
        await cluster.WaitForMembersAsync(0, nodes);
        return cluster;
    }

    /// <summary>Starts node <paramref name="i"/> (again) on its ports.</summary>
    public NodeProcess Start(int i)
    {
        if (_nodes[i] is { } previous)
            _stopped.Add(previous);
        var (remoting, api) = _ports[i];
        var home = Directory.CreateDirectory(Path.Combine(_dir, $"node{i}")).FullName;
        var env = new Dictionary<string, string>
        {
            ["ORCH_NODE_PORT"] = remoting.ToString(),
            ["ORCH_API_PORT"] = api.ToString(),
            ["ORCH_NODE_SEED_NODES"] = string.Join(',', _seeds.Select(Address)),
            ["ORCH_POSTGRES_CONNECTION"] = ConnectionString,
        };
        return _nodes[i] = NodeProcess.Start(home, env, "--config", _config);
    }

    /// <summary>SIGKILLs node <paramref name="i"/> and waits until it is gone.</summary>
    public async Task KillAsync(int i)
    {
        this[i].Kill();
        await this[i].WaitForExitAsync(Deadline);
    }

    /// <summary>An API client of node <paramref name="i"/>.</summary>
    public HttpClient Api(int i) => new() { BaseAddress = new Uri($"http://127.0.0.1:{_ports[i].Api}"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Waits until node <paramref name="viewer"/> sees exactly <paramref name="count"/> members, all Up and reachable.</summary>
    public async Task WaitForMembersAsync(int viewer, int count)
    {
        using var api = Api(viewer);
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                var members = await MembersAsync(api);
                return members.Count == count && members.All(m => m.GetProperty("status").GetString() == "Up" && m.GetProperty("reachable").GetBoolean());
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, Deadline, () => $"node {viewer} to see {count} members Up\n{Transcripts}");
    }

    /// <summary>The members node <paramref name="api"/> sees.</summary>
    public static async Task<List<JsonElement>> MembersAsync(HttpClient api)
    {
        var state = await api.GetFromJsonAsync<JsonElement>("/api/cluster");
        return state.GetProperty("members").EnumerateArray().ToList();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.OfType<NodeProcess>().Concat(_stopped))
            await node.DisposeAsync();
        await _database.DisposeAsync();
    }
}
