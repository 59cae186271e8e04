using System.Net;

namespace Orchestrator.Node.Configuration;

/// <summary>Which database holds the journal, the snapshots and the read journal.</summary>
public enum PersistenceProvider
{
    /// <summary>A SQLite file: the embedded default.</summary>
    Sqlite,
    /// <summary>A shared PostgreSQL database, for clusters.</summary>
    PostgreSql,
}

/// <summary>The typed settings of a node, read once from its <see cref="NodeConfig"/>, with those of its sessions, agent
/// registry, lesson store, models and telemetry.</summary>
public sealed record NodeSettings(
    string SystemName,
    string Hostname,
    int RemotingPort,
    IReadOnlyList<string> SeedNodes,
    IReadOnlyList<string> Roles,
    TimeSpan ReadyTimeout,
    JournalProbeSettings JournalProbe,
    ClusterSettings Cluster,
    ApiSettings Api,
    PersistenceSettings Persistence,
    SessionsSettings Sessions,
    AgentsSettings Agents,
    LessonsSettings Lessons,
    ModelsSettings Models,
    TelemetrySettings Telemetry)
{
    /// <summary>Reads and checks every setting; the first wrong one is a <see cref="ConfigurationException"/>.</summary>
    public static NodeSettings From(NodeConfig c)
    {
        var settings = new NodeSettings(
            c.Read("orchestrator.node.system-name", (x, p) => x.GetString(p), "an actor system name"),
            c.Read("orchestrator.node.hostname", (x, p) => x.GetString(p), "a host name or IP address"),
            SettingRules.Port(c, "orchestrator.node.port"),
            ReadSeedNodes(c),
            ReadRoles(c),
            SettingRules.Duration(c, "orchestrator.node.ready-timeout"),
            JournalProbeSettings.From(c),
            ClusterSettings.From(c),
            new ApiSettings(
                c.Read("orchestrator.api.host", (x, p) => x.GetString(p), "a host name or IP address"),
                SettingRules.Port(c, "orchestrator.api.port"),
                c.Read("orchestrator.api.token", (x, p) => x.GetString(p) ?? "", "a bearer token string"),
                c.Read("orchestrator.api.max-body-size", (x, p) => x.GetByteSize(p) ?? 0, "a size such as 1 MiB"),
                SettingRules.AtLeast(c, "orchestrator.api.feed-buffer", 1)),
            PersistenceSettings.From(c),
            SessionsSettings.From(c),
            AgentsSettings.From(c),
            LessonsSettings.From(c),
            ModelsSettings.From(c),
            TelemetrySettings.From(c));
        if (settings.Api.RequiresToken && settings.Api.Token.Length == 0)
            throw new ConfigurationException(
                $"orchestrator.api.host is '{settings.Api.Host}' ({c.OriginOf("orchestrator.api.host")}), which is not loopback: " +
                "set orchestrator.api.token (or ORCH_API_TOKEN) so that every request must carry it, or bind to 127.0.0.1.");
        return settings;
    }

    /// <summary>The cluster roles this node adds to its model roles: <c>model:&lt;name&gt;</c> roles come only from the
    /// models it serves, so a configured one (which would claim a model the node cannot run) is refused.</summary>
    private static string[] ReadRoles(NodeConfig c)
    {
        const string key = "orchestrator.node.roles";
        var roles = c.Read(key, (x, p) => x.GetStringList(p).ToArray(), "a list of role names");
        if (roles.FirstOrDefault(Orchestrator.Core.Models.ModelRoles.IsModelRole) is { } bad)
            throw SettingRules.OutOfRange(c, key,
                $"role names, none starting with '{Orchestrator.Core.Models.ModelRoles.Prefix}' (those say which models a node serves and come from orchestrator.llm.models)",
                $"'{bad}'");
        return roles;
    }

    /// <summary><c>orchestrator.node.seed-nodes</c>: each an <c>akka.tcp://SYSTEM@HOST:PORT</c> address of this node's
    /// own actor system (a seed of another cluster name would never let the node in).</summary>
    private static string[] ReadSeedNodes(NodeConfig c)
    {
        const string key = "orchestrator.node.seed-nodes";
        const string expected = "akka.tcp://SYSTEM@HOST:PORT addresses";
        var system = c.Read("orchestrator.node.system-name", (x, p) => x.GetString(p), "an actor system name");
        var seeds = c.Read(key, (x, p) => x.GetStringList(p).ToArray(), $"a list of {expected}");
        foreach (var seed in seeds)
        {
            Akka.Actor.Address address;
            try
            {
                address = Akka.Actor.Address.Parse(seed);
            }
            catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
            {
                throw SettingRules.OutOfRange(c, key, expected, $"'{seed}' ({e.Message})");
            }
            if (address.Protocol != "akka.tcp" || string.IsNullOrEmpty(address.Host) || address.Port is not (> 0 and <= 65535))
                throw SettingRules.OutOfRange(c, key, expected, $"'{seed}'");
            if (address.System != system)
                throw new ConfigurationException(
                    $"Configuration key '{key}' in {c.OriginOf(key)}: seed '{seed}' is of actor system '{address.System}', but this node's " +
                    $"orchestrator.node.system-name is '{system}' ({c.OriginOf("orchestrator.node.system-name")}); every node of one cluster uses the same name.");
        }
        return seeds;
    }
}

/// <summary>Where the HTTP API listens, the token it requires, the largest body it takes and how far a feed's client may fall
/// behind before its stream waits for it.</summary>
public sealed record ApiSettings(string Host, int Port, string Token, long MaxBodyBytes, int FeedBuffer)
{
    /// <summary>True when the API binds beyond loopback, where a token is mandatory.</summary>
    public bool RequiresToken => !IsLoopback(Host);

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
