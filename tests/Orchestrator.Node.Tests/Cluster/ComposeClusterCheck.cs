using System.Text.RegularExpressions;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Tests.Cluster;

/// <summary>What docker-compose.yml and the Dockerfile must agree on with the node's configuration
/// (hocon/cluster-node.conf, environment.conf) for the cluster to form. No Docker engine runs here: each problem is a
/// line naming the service and what is wrong.</summary>
internal static partial class ComposeClusterCheck
{
    public const string ApiPort = "ORCH_API_PORT";
    public const string NodePort = "ORCH_NODE_PORT";
    public const string Seeds = "ORCH_NODE_SEED_NODES";

    /// <summary>The <c>ORCH_*</c> variables the node reads: those named in <c>environment.conf</c>.</summary>
    public static IReadOnlySet<string> KnownVariables(string environmentConf) =>
        EnvironmentVariable().Matches(environmentConf).Select(m => m.Groups[1].Value).ToHashSet();

    public static IReadOnlyList<string> Problems(ComposeFile compose, DockerfileImage image, string repositoryRoot, IReadOnlySet<string> knownVariables)
    {
        var problems = new List<string>();
        var nodes = compose.Services.Where(s => s.Built).ToList();
        if (nodes.Count < 2)
            problems.Add($"a cluster needs several nodes built from the Dockerfile; found {nodes.Count}");

        foreach (var service in compose.Services)
            foreach (var variable in service.Environment.Keys.Where(k => k.StartsWith("ORCH_", StringComparison.Ordinal) && !knownVariables.Contains(k)))
                problems.Add($"{service.Name}: {variable} is not read by the node (not in src/Orchestrator.Node/environment.conf)");
        foreach (var variable in image.Environment.Keys.Where(k => k.StartsWith("ORCH_", StringComparison.Ordinal) && !knownVariables.Contains(k)))
            problems.Add($"Dockerfile: ENV {variable} is not read by the node (not in src/Orchestrator.Node/environment.conf)");

        var expectedSeeds = nodes.Count > 0 && nodes[0].Environment.TryGetValue(Seeds, out var first) ? SplitList(first) : [];
        foreach (var node in nodes)
            problems.AddRange(NodeProblems(compose, image, repositoryRoot, nodes, node, expectedSeeds));

        foreach (var service in compose.Services.Where(s => s.Ports.Count > 0))
        {
            if (nodes.Count == 0 || service != nodes[0])
                problems.Add($"{service.Name}: publishes {string.Join(", ", service.Ports)}; only {nodes.FirstOrDefault()?.Name ?? "the first node"}'s API may be published");
            else if (service.Ports.Count != 1 || service.Ports[0] != $"127.0.0.1:{service.Environment.GetValueOrDefault(ApiPort)}:{service.Environment.GetValueOrDefault(ApiPort)}")
                problems.Add($"{service.Name}: publishes {string.Join(", ", service.Ports)}; expected only its API on the host's loopback, 127.0.0.1:{ApiPort}:{ApiPort}");
        }

        var nodePorts = nodes.SelectMany(n => new[] { n.Environment.GetValueOrDefault(ApiPort), n.Environment.GetValueOrDefault(NodePort) })
            .Where(p => p is not null).Select(p => int.Parse(p!)).ToHashSet();
        if (!nodePorts.SetEquals(image.Exposed))
            problems.Add($"Dockerfile: EXPOSE {string.Join(' ', image.Exposed)}, but the nodes use {ApiPort}/{NodePort} {string.Join(' ', nodePorts.Order())}");

        foreach (var dependency in nodes.SelectMany(n => n.DependsOn.Keys).Distinct())
            if (compose.Service(dependency) is { } database && database.HealthCheck is null)
                problems.Add($"{dependency}: nodes wait for it to be healthy, but it has no healthcheck");
        return problems;
    }

    private static IEnumerable<string> NodeProblems(
        ComposeFile compose, DockerfileImage image, string repositoryRoot, IReadOnlyList<ComposeService> nodes, ComposeService node, IReadOnlyList<string> expectedSeeds)
    {
        var env = node.Environment;
        foreach (var required in new[] { "ORCH_NODE_HOSTNAME", NodePort, Seeds, "ORCH_POSTGRES_CONNECTION", "ORCH_API_HOST", ApiPort })
            if (!env.ContainsKey(required))
                yield return $"{node.Name}: {required} is not set";
        if (env.GetValueOrDefault("ORCH_NODE_HOSTNAME") is { } hostname && hostname != node.Name)
            yield return $"{node.Name}: ORCH_NODE_HOSTNAME is '{hostname}'; other nodes reach it at its service name '{node.Name}'";

        var seeds = env.TryGetValue(Seeds, out var list) ? SplitList(list) : [];
        if (!seeds.SequenceEqual(expectedSeeds))
            yield return $"{node.Name}: {Seeds} is [{string.Join(", ", seeds)}], but {nodes[0].Name} has [{string.Join(", ", expectedSeeds)}] (the same order on every node)";
        var seedHosts = new List<string>();
        foreach (var seed in seeds)
        {
            var address = SeedAddress().Match(seed);
            if (!address.Success)
            {
                yield return $"{node.Name}: seed '{seed}' is not akka.tcp://SYSTEM@HOST:PORT";
                continue;
            }
            var host = address.Groups["host"].Value;
            seedHosts.Add(host);
            if (compose.Service(host) is not { } seedService)
                yield return $"{node.Name}: seed '{seed}' names host '{host}', which is no compose service";
            else if (seedService.Environment.GetValueOrDefault(NodePort) != address.Groups["port"].Value)
                yield return $"{node.Name}: seed '{seed}' has port {address.Groups["port"].Value}, but {host}'s {NodePort} is {seedService.Environment.GetValueOrDefault(NodePort)}";
        }
        if (!seedHosts.SequenceEqual(nodes.Select(n => n.Name)))
            yield return $"{node.Name}: the seeds' hosts are [{string.Join(", ", seedHosts)}]; expected every node service in order: [{string.Join(", ", nodes.Select(n => n.Name))}]";

        var health = node.HealthCheck is null ? null : HealthUrl().Match(node.HealthCheck);
        if (health is not { Success: true })
            yield return $"{node.Name}: no healthcheck on http://127.0.0.1:PORT/health/ready";
        else if (health.Groups["port"].Value != env.GetValueOrDefault(ApiPort))
            yield return $"{node.Name}: the healthcheck asks port {health.Groups["port"].Value}, but its {ApiPort} is {env.GetValueOrDefault(ApiPort)}";
        else if (env.ContainsKey("ORCH_API_TOKEN") && !node.HealthCheck!.Contains("Authorization: Bearer", StringComparison.Ordinal))
            yield return $"{node.Name}: the API has a token, which /health/ready also requires, but the healthcheck sends none";

        foreach (var (dependency, condition) in node.DependsOn)
            if (condition != "service_healthy")
                yield return $"{node.Name}: depends on {dependency} with {condition}; expected service_healthy";
        if (!node.DependsOn.Keys.Any(d => env.GetValueOrDefault("ORCH_POSTGRES_CONNECTION", "").Contains($"Host={d};", StringComparison.Ordinal)))
            yield return $"{node.Name}: does not wait for the database its ORCH_POSTGRES_CONNECTION names";
        if (!node.Volumes.Any(v => v.Split(':') is [var source, _, "ro"] && compose.NamedVolumes.Contains(source)))
            yield return $"{node.Name}: mounts no named volume read-only (the models)";

        var command = node.Command.Count > 0 ? node.Command : image.Command;
        var configAt = command.ToList().IndexOf("--config");
        if (configAt < 0 || configAt + 1 >= command.Count)
        {
            yield return $"{node.Name}: not started with --config FILE";
            yield break;
        }
        var configFile = command[configAt + 1];
        var source = image.SourceOf(configFile);
        if (source is null || !File.Exists(Path.Combine(repositoryRoot, source)))
        {
            yield return $"{node.Name}: --config {configFile} is not a repository file the Dockerfile copies there";
            yield break;
        }
        if (image.Environment.GetValueOrDefault("ORCH_TEMPLATES_PATH") is { } templates &&
            (image.SourceOf(templates) is not { } templatesSource || !Directory.Exists(Path.Combine(repositoryRoot, templatesSource))))
            yield return $"Dockerfile: ORCH_TEMPLATES_PATH {templates} is not a repository folder the Dockerfile copies there";

        string? loadProblem = null;
        NodeSettings? settings = null;
        try
        {
            settings = NodeSettings.From(NodeConfigLoader.Load(Path.Combine(repositoryRoot, source), env.GetValueOrDefault));
        }
        catch (ConfigurationException e)
        {
            loadProblem = $"{node.Name}: the node refuses its configuration: {e.Message}";
        }
        if (loadProblem is not null)
        {
            yield return loadProblem;
            yield break;
        }
        if (settings!.Hostname != node.Name || settings.RemotingPort.ToString() != env.GetValueOrDefault(NodePort) ||
            !settings.SeedNodes.SequenceEqual(seeds) || settings.Persistence.Provider != PersistenceProvider.PostgreSql)
            yield return $"{node.Name}: {source} with its environment gives hostname {settings.Hostname}, port {settings.RemotingPort}, " +
                         $"seeds [{string.Join(", ", settings.SeedNodes)}], {settings.Persistence.Provider}; expected the compose values on PostgreSQL";
        foreach (var seed in settings.SeedNodes.Where(s => !s.StartsWith($"akka.tcp://{settings.SystemName}@", StringComparison.Ordinal)))
            yield return $"{node.Name}: seed '{seed}' is not of the node's actor system '{settings.SystemName}'";
    }

    private static string[] SplitList(string commaSeparated) =>
        commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"\$\{\?(ORCH_[A-Z0-9_]+)\}")]
    private static partial Regex EnvironmentVariable();

    [GeneratedRegex(@"^akka\.tcp://(?<system>[^@]+)@(?<host>[^:]+):(?<port>\d+)$")]
    private static partial Regex SeedAddress();

    [GeneratedRegex(@"https?://(127\.0\.0\.1|localhost):(?<port>\d+)/health/ready\b")]
    private static partial Regex HealthUrl();
}
