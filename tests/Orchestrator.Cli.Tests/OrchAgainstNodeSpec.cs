using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.Cli.Tests;

/// <summary>A running node (a real process) for the CLI specs of one class.</summary>
public sealed class RunningNode : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-cli-").FullName;

    public NodeProcess Node { get; private set; } = null!;

    public string Address => $"127.0.0.1:{Node.ApiPort}";

    public async Task InitializeAsync()
    {
        Node = NodeProcess.Start(_dir, new Dictionary<string, string>
        {
            ["ORCH_SQLITE_PATH"] = Path.Combine(_dir, "cli.db"),
            ["ORCH_TEMPLATES_PATH"] = Path.Combine(RepositoryRoot.Path, "config", "workflows"),
        });
        await Node.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary><c>orch</c> as a process against a running node: one-shot commands, <c>--json</c>, exit codes.</summary>
public sealed class OrchAgainstNodeSpec(RunningNode node) : IClassFixture<RunningNode>
{
    private static Task<(int ExitCode, string Out, string Err)> Orch(params string[] args) => OrchProcess.Run(args);

    private static Task<(int ExitCode, string Out, string Err)> OrchWithInput(string? input, params string[] args) =>
        OrchProcess.RunWithInput(input, args);

    [Fact]
    public async Task Cluster_show_prints_a_table_of_members()
    {
        var (code, stdout, _) = await Orch(node.Address, "cluster", "show");

        Assert.Equal(0, code);
        Assert.Contains("Address", stdout);
        Assert.Contains("(this node)", stdout);
        Assert.Contains("Up", stdout);
        Assert.DoesNotContain("\u001b[", stdout);
    }

    [Fact]
    public async Task Json_output_is_the_node_s_document()
    {
        var (code, stdout, _) = await Orch(node.Address, "cluster", "show", "--json");

        Assert.Equal(0, code);
        var member = Assert.Single(JsonDocument.Parse(stdout).RootElement.GetProperty("members").EnumerateArray());
        Assert.Equal("Up", member.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Actor_hierarchy_shows_the_management_actor()
    {
        var (code, stdout, _) = await Orch(node.Address, "actor", "hierarchy", "-d", "2");

        Assert.Equal(0, code);
        Assert.Contains("management", stdout);
        Assert.Contains("ManagementActor", stdout);
    }

    [Fact]
    public async Task Config_show_prints_the_tree_and_a_missing_section_fails_with_1()
    {
        var (code, stdout, _) = await Orch(node.Address, "config", "show", "orchestrator.persistence");
        Assert.Equal(0, code);
        Assert.Contains("provider = sqlite", stdout);

        var (missing, _, stderr) = await Orch(node.Address, "config", "show", "no.such");
        Assert.Equal(1, missing);
        Assert.Contains("no.such", stderr);
    }

    [Fact]
    public async Task Unknown_commands_exit_2()
    {
        var (code, _, stderr) = await Orch(node.Address, "clustr", "show");

        Assert.Equal(2, code);
        Assert.Contains("clustr", stderr);
    }

    [Fact]
    public async Task Unreachable_node_exits_3_with_a_clear_message()
    {
        var (code, _, stderr) = await Orch($"127.0.0.1:{FreePort.Next()}", "cluster", "show");

        Assert.Equal(3, code);
        Assert.Contains("is not reachable", stderr);
    }

    [Fact]
    public async Task Interactive_prompt_runs_piped_commands_until_exit()
    {
        var (code, stdout, _) = await OrchWithInput("cluster show --json\nexit\n", node.Address);

        Assert.Equal(0, code);
        Assert.Contains($"[{node.Address}] orch>", stdout);
        Assert.Contains("\"members\"", stdout);
    }

    [Fact]
    public async Task Templates_are_listed_and_a_session_is_started_shown_and_cancelled()
    {
        var (listed, templates, _) = await Orch(node.Address, "templates", "list");
        Assert.Equal(0, listed);
        Assert.Contains("manuscript-review", templates);

        var (started, startOut, startErr) = await Orch(node.Address, "sessions", "start", "manuscript-review", "-i", "MANUSCRIPT=Once.", "--id", "cli-1");
        Assert.True(started == 0, startOut + startErr);
        Assert.Contains("cli-1", startOut);

        var (shown, json, _) = await Orch(node.Address, "sessions", "show", "cli-1", "--json");
        Assert.Equal(0, shown);
        Assert.Equal("manuscript-review", JsonDocument.Parse(json).RootElement.GetProperty("template").GetString());

        var (cancelled, table, _) = await Orch(node.Address, "sessions", "cancel", "cli-1");
        Assert.Equal(0, cancelled);
        Assert.Contains("cancelled", table);
    }

    [Fact]
    public async Task Unknown_sessions_and_bad_starts_exit_1()
    {
        var (missing, _, stderr) = await Orch(node.Address, "sessions", "show", "nobody");
        Assert.Equal(1, missing);
        Assert.Contains("nobody", stderr);

        var (refused, _, refusal) = await Orch(node.Address, "sessions", "start", "manuscript-review", "--id", "cli-2");
        Assert.Equal(1, refused);
        Assert.Contains("MANUSCRIPT", refusal);
    }

    [Fact]
    public async Task A_malformed_input_is_a_usage_error_exiting_2()
    {
        var (code, _, stderr) = await Orch(node.Address, "sessions", "start", "manuscript-review", "-i", "MANUSCRIPT");

        Assert.Equal(2, code);
        Assert.Contains("'MANUSCRIPT' is not NAME=VALUE", stderr);
    }

    [Fact]
    public async Task Models_list_says_none_are_configured_and_stats_of_an_unknown_model_exit_1()
    {
        var (listed, list, _) = await Orch(node.Address, "models", "list");
        Assert.Equal(0, listed);
        Assert.Contains("No models are configured", list);

        var (json, document, _) = await Orch(node.Address, "models", "list", "--json");
        Assert.Equal(0, json);
        Assert.Equal(0, JsonDocument.Parse(document).RootElement.GetProperty("models").GetArrayLength());

        var (missing, _, stderr) = await Orch(node.Address, "models", "stats", "nope");
        Assert.Equal(1, missing);
        Assert.Contains("'nope'", stderr);
    }

    [Fact]
    public async Task Templates_show_prints_nodes_with_dependencies()
    {
        var (code, stdout, _) = await Orch(node.Address, "templates", "show", "manuscript-review");

        Assert.Equal(0, code);
        Assert.Contains("manuscript-review → base-analysis", stdout);
        Assert.Contains("quality-score", stdout);
        Assert.Contains("MANUSCRIPT", stdout);
    }

    [Fact]
    public async Task Templates_validate_sends_a_local_file_and_exits_1_listing_its_problems()
    {
        var good = Path.Combine(RepositoryRoot.Path, "config", "workflows", "docs-generation.conf");
        var (valid, ok, _) = await Orch(node.Address, "templates", "validate", good);
        Assert.Equal(0, valid);
        Assert.Contains("is valid", ok);

        var bad = Path.Combine(Path.GetTempPath(), $"orch-bad-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(bad, "workflow {\n  name = bad\n  nodes {\n    a { role = r, prompt = \"x\", depends-on = [ghost] }\n  }\n}\n");
        try
        {
            var (invalid, problems, _) = await Orch(node.Address, "templates", "validate", bad);
            Assert.Equal(1, invalid);
            Assert.Contains($"{Path.GetFileName(bad)}:4: unknown-dependency", problems);
        }
        finally
        {
            File.Delete(bad);
        }

        var (absent, _, _) = await Orch(node.Address, "templates", "validate", "/no/such/file.conf");
        Assert.Equal(2, absent);
    }

    [Fact]
    public async Task Region_stats_show_this_node_s_session_region()
    {
        var (code, stdout, _) = await Orch(node.Address, "cluster-sharding", "region-stats");

        Assert.Equal(0, code);
        Assert.Contains("(this node)", stdout);
        Assert.Contains("Type session:", stdout);
    }
}
