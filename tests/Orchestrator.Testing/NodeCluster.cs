using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Testing;

/// <summary>A real cluster on loopback for process tests: one throwaway PostgreSQL and node processes, every node a
/// seed, each serving the tiny model at the path it is given (the caller writes it with the project's GGUF writer). Configured as a
/// container would be: <c>hocon/cluster-node.conf</c>, each node's ports and the seeds in <c>ORCH_*</c> variables. A node keeps
/// its ports when started again, so a restart comes back on the same address.</summary>
public sealed class NodeCluster : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private readonly string _dir;
    private readonly string[] _configs;
    private readonly PostgresServer _database;
    private readonly (int Remoting, int Api)[] _ports;
    private readonly NodeProcess?[] _nodes;
    private readonly List<NodeProcess> _stopped = [];

    private readonly int[] _seeds;

    private NodeCluster(string dir, string[] configs, PostgresServer database, (int, int)[] ports, int[] seeds)
    {
        _seeds = seeds;
        _dir = dir;
        _configs = configs;
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
    /// <param name="extraConfig">HOCON appended to every node's configuration.</param>
    /// <param name="nodeConfig">Node i's own HOCON, in place of the tiny model (at <paramref name="model"/>) serving the
    /// manuscript-review roles that every node has by default.</param>
    public static async Task<NodeCluster> StartAsync(string dir, string model, int nodes, int[]? seeds = null, string extraConfig = "",
        Func<int, string>? nodeConfig = null)
    {
        var database = await PostgresServer.StartAsync();
        var connection = await database.CreateDatabaseAsync("orchestrator");
        var shared = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "hocon", "cluster-node.conf"));
        var configs = new string[nodes];
        for (var i = 0; i < nodes; i++)
        {
            configs[i] = Path.Combine(dir, nodeConfig is null ? "cluster-node.conf" : $"cluster-node-{i}.conf");
            await File.WriteAllTextAsync(configs[i], $$"""
                {{shared}}
                {{nodeConfig?.Invoke(i) ?? TinyModelNode.Config(model, TinyModelNode.ManuscriptReviewRoles, sequences: 2)}}
                orchestrator.sessions.max-tokens = 1024
                {{extraConfig}}
                """);
        }
        var ports = Enumerable.Range(0, nodes).Select(_ => (FreePort.Next(), FreePort.Next())).ToArray();
        var cluster = new NodeCluster(dir, configs, database, ports, seeds ?? Enumerable.Range(0, nodes).ToArray()) { ConnectionString = connection };
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
        return _nodes[i] = NodeProcess.Start(home, env, "--config", _configs[i]);
    }

    /// <summary>SIGKILLs node <paramref name="i"/> and waits until it is gone.</summary>
    public async Task KillAsync(int i)
    {
        this[i].Kill();
        await this[i].WaitForExitAsync(Deadline);
    }

    /// <summary>Waits until node <paramref name="i"/> is ready; on timeout the error carries every node's transcript, since
    /// why a node cannot join is often in the others' logs.</summary>
    public async Task WaitUntilReadyAsync(int i)
    {
        try
        {
            await this[i].WaitUntilReadyAsync(Deadline);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{Transcripts}", e);
        }
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

    /// <summary>Starts <paramref name="count"/> manuscript-review sessions named <c>PREFIX-N</c> through <paramref name="api"/>.</summary>
    public static async Task<List<string>> StartSessionsAsync(HttpClient api, string prefix, int count)
    {
        var sessions = Enumerable.Range(1, count).Select(i => $"{prefix}-{i}").ToList();
        foreach (var id in sessions)
        {
            var created = await api.PostAsJsonAsync("/api/sessions",
                new { template = "manuscript-review", id, inputs = new Dictionary<string, string> { ["MANUSCRIPT"] = $"The keeper counted {id} ships." } });
            if (!created.IsSuccessStatusCode)
                throw new InvalidOperationException($"Starting {id}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }
        return sessions;
    }

    /// <summary>Session <paramref name="id"/>'s journal as the API shows it.</summary>
    public static async Task<JsonElement[]> JournalAsync(HttpClient api, string id)
    {
        var reply = await api.GetFromJsonAsync<JsonElement>($"/api/journal/session-{id}?max=10000");
        return reply.GetProperty("events").EnumerateArray().ToArray();
    }

    /// <summary>An event's manifest.</summary>
    public static string? Manifest(JsonElement e) => e.GetProperty("manifest").GetString();

    /// <summary>Waits until every session among <paramref name="ids"/> has dispatched a task.</summary>
    public Task WaitUntilDispatchedAsync(HttpClient api, IReadOnlyCollection<string> ids) =>
        Eventually.HoldsAsync(async () =>
        {
            foreach (var id in ids)
                if (!(await JournalAsync(api, id)).Any(e => Manifest(e) == "task-dispatched.v1"))
                    return false;
            return true;
        }, Deadline, () => "the sessions to dispatch\n" + Transcripts);

    /// <summary>The sessions among <paramref name="ids"/> whose shard (<paramref name="shardOf"/>) node
    /// <paramref name="node"/> hosts, as <c>/api/cluster/sharding</c> shows once any of them is placed there.</summary>
    public async Task<List<string>> SessionsOnAsync(HttpClient api, int node, IReadOnlyCollection<string> ids, Func<string, string> shardOf)
    {
        HashSet<string> shards = [];
        await Eventually.HoldsAsync(async () =>
        {
            var stats = await api.GetFromJsonAsync<JsonElement>("/api/cluster/sharding");
            shards = stats.GetProperty("regions").EnumerateArray()
                .Where(r => r.GetProperty("address").GetString() == Address(node))
                .SelectMany(r => r.GetProperty("shardStats").EnumerateArray().Select(s => s.GetProperty("shardId").GetString()!))
                .ToHashSet();
            return ids.Any(id => shards.Contains(shardOf(id)));
        }, Deadline, () => $"a session on node {node}");
        return ids.Where(id => shards.Contains(shardOf(id))).ToList();
    }

    /// <summary>Waits until every session among <paramref name="ids"/> has finished; returns their journals.</summary>
    public async Task<Dictionary<string, JsonElement[]>> WaitUntilFinishedAsync(HttpClient api, IReadOnlyCollection<string> ids)
    {
        var journals = new Dictionary<string, JsonElement[]>();
        await Eventually.HoldsAsync(async () =>
        {
            foreach (var id in ids.Where(s => !journals.ContainsKey(s)))
            {
                var events = await JournalAsync(api, id);
                if (events.Any(e => Manifest(e) is "session-completed.v1" or "session-failed.v1"))
                    journals[id] = events;
            }
            return journals.Count == ids.Count;
        }, Deadline, () => $"all sessions to finish; finished: {string.Join(", ", journals.Keys)}\n{Transcripts}");
        return journals;
    }

    /// <summary>The earliest event after <paramref name="after"/> among <paramref name="journals"/>, or null.</summary>
    public static DateTimeOffset? FirstEventAfter(IEnumerable<JsonElement[]> journals, DateTimeOffset after) =>
        journals.SelectMany(j => j.Select(e => e.GetProperty("timestamp").GetDateTimeOffset()))
            .Where(t => t > after)
            .Order()
            .Cast<DateTimeOffset?>()
            .FirstOrDefault();

    /// <summary>Kills every node and removes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.OfType<NodeProcess>().Concat(_stopped))
            await node.DisposeAsync();
        await _database.DisposeAsync();
    }
}
