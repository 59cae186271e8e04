using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.Cli.Tests;

/// <summary>A running node (a real process) whose configuration names a model <c>tiny</c> and the roles DEV and QA, so
/// that its agent registry and council directory accept agents and councils. The model's file is absent: registration
/// checks only that the model is configured, and nothing here generates. Its readiness stays 503 (no configured model
/// serves), so the node counts as started once it logs that its member, journal and API are up.</summary>
public sealed class RegistryRunningNode : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-cli-registry-").FullName;

    public NodeProcess Node { get; private set; } = null!;

    public string Address => $"127.0.0.1:{Node.ApiPort}";

    public async Task InitializeAsync()
    {
        var config = Path.Combine(_dir, "node.conf");
        await File.WriteAllTextAsync(config, $$"""
            orchestrator.llm.models.tiny { path = {{JsonSerializer.Serialize(Path.Combine(_dir, "absent.gguf"))}}, context-size = 256, sequences = 1, threads = 1 }
            orchestrator.sessions.models-by-role { DEV = tiny, QA = tiny }
            orchestrator.persistence.sqlite.path = {{JsonSerializer.Serialize(Path.Combine(_dir, "cli.db"))}}
            """);
        Node = NodeProcess.Start(_dir, new Dictionary<string, string>(), "--config", config);
        await Node.WaitForLineAsync(line => line.Contains("Orchestrator node ready in", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary><c>orch agents</c>, <c>orch councils</c> and <c>orch lessons</c> as processes against a running node:
/// tables, <c>--json</c>, and exit codes (0 done, 1 refused by the node, 2 a wrong command line, 3 no node).</summary>
public sealed class RegistryCommandsSpec(RegistryRunningNode node) : IClassFixture<RegistryRunningNode>
{
    private static Task<(int ExitCode, string Out, string Err)> Orch(params string[] args) => OrchProcess.Run(args);

    [Fact]
    public async Task An_agent_is_registered_listed_shown_and_removed()
    {
        var (registered, registerOut, registerErr) = await Orch(node.Address, "agents", "register", "cli-dev", "--role", "DEV", "--model", "tiny",
            "--capability", "code", "--capability", "review", "--max-concurrent", "3", "-s", "code=0.7");
        Assert.True(registered == 0, registerOut + registerErr);
        Assert.Contains("Registered agent cli-dev (DEV on tiny)", registerOut);

        var (listed, table, _) = await Orch(node.Address, "agents", "list");
        Assert.Equal(0, listed);
        Assert.Contains("cli-dev", table);
        Assert.Contains("code, review", table);
        Assert.Contains("0 of 3", table);

        var (shown, json, _) = await Orch(node.Address, "agents", "show", "cli-dev", "--json");
        Assert.Equal(0, shown);
        var agent = JsonDocument.Parse(json).RootElement;
        Assert.Equal(3, agent.GetProperty("maxConcurrentTasks").GetInt32());
        Assert.Equal(0.7, agent.GetProperty("specialization").GetProperty("code").GetDouble());

        var (updated, updateOut, _) = await Orch(node.Address, "agents", "update", "cli-dev", "--role", "QA");
        Assert.Equal(0, updated);
        Assert.Contains("(QA on tiny)", updateOut);

        var (removed, removeOut, _) = await Orch(node.Address, "agents", "remove", "cli-dev");
        Assert.Equal(0, removed);
        Assert.Contains("Removed agent cli-dev", removeOut);
        var (_, after, _) = await Orch(node.Address, "agents", "list", "--json");
        Assert.DoesNotContain(JsonDocument.Parse(after).RootElement.GetProperty("agents").EnumerateArray(),
            a => a.GetProperty("name").GetString() == "cli-dev");
    }

    [Fact]
    public async Task Refused_registrations_and_unknown_agents_exit_1_with_the_reason()
    {
        var (model, _, modelErr) = await Orch(node.Address, "agents", "register", "cli-x", "--role", "DEV", "--model", "gpt-9");
        Assert.Equal(1, model);
        Assert.Contains("'gpt-9'", modelErr);
        Assert.Contains("not configured", modelErr);

        var (role, _, roleErr) = await Orch(node.Address, "agents", "register", "cli-x", "--role", "PAINTER", "--model", "tiny");
        Assert.Equal(1, role);
        Assert.Contains("'PAINTER'", roleErr);

        var (missing, _, missingErr) = await Orch(node.Address, "agents", "show", "ghost");
        Assert.Equal(1, missing);
        Assert.Contains("'ghost'", missingErr);

        var (removed, _, _) = await Orch(node.Address, "agents", "remove", "ghost");
        Assert.Equal(1, removed);
    }

    [Fact]
    public async Task Wrong_command_lines_exit_2_and_an_unreachable_node_3()
    {
        var (noModel, _, noModelErr) = await Orch(node.Address, "agents", "register", "cli-y", "--role", "DEV");
        Assert.Equal(2, noModel);
        Assert.Contains("--model", noModelErr);

        var (badMax, _, _) = await Orch(node.Address, "agents", "register", "cli-y", "--role", "DEV", "--model", "tiny", "--max-concurrent", "0");
        Assert.Equal(2, badMax);

        var (badSelector, _, selectorErr) = await Orch(node.Address, "councils", "create", "DEV", "--member", "DEV", "--member", "QA", "--selector", "vote");
        Assert.Equal(2, badSelector);
        Assert.Contains("vote", selectorErr);

        var (badMember, _, memberErr) = await Orch(node.Address, "councils", "create", "DEV", "--member", "a=", "--member", "QA");
        Assert.Equal(2, badMember);
        Assert.Contains("'a='", memberErr);

        var (unreachable, _, unreachableErr) = await Orch($"127.0.0.1:{FreePort.Next()}", "lessons", "list");
        Assert.Equal(3, unreachable);
        Assert.Contains("is not reachable", unreachableErr);
    }

    [Fact]
    public async Task A_council_is_created_listed_and_deleted_and_refusals_exit_1()
    {
        var (created, createOut, createErr) = await Orch(node.Address, "councils", "create", "QA", "--member", "QA", "--member", "critic=DEV",
            "--rounds", "2", "--selector", "agent", "--selector-role", "QA");
        Assert.True(created == 0, createOut + createErr);
        Assert.Contains("qa:QA, critic:DEV", createOut);

        var (listed, table, _) = await Orch(node.Address, "councils", "list");
        Assert.Equal(0, listed);
        Assert.Contains("QA", table);
        Assert.Contains("agent (QA)", table);

        var (json, document, _) = await Orch(node.Address, "councils", "list", "--json");
        Assert.Equal(0, json);
        var council = Assert.Single(JsonDocument.Parse(document).RootElement.GetProperty("councils").EnumerateArray(),
            c => c.GetProperty("role").GetString() == "QA");
        Assert.Equal(2, council.GetProperty("rounds").GetInt32());

        var (again, _, againErr) = await Orch(node.Address, "councils", "create", "QA", "--member", "QA", "--member", "DEV");
        Assert.Equal(1, again);
        Assert.Contains("has a council already", againErr);

        var (lonely, _, lonelyErr) = await Orch(node.Address, "councils", "create", "DEV", "--member", "DEV");
        Assert.Equal(1, lonely);
        Assert.Contains("at least 2 members", lonelyErr);

        var (deleted, deleteOut, _) = await Orch(node.Address, "councils", "delete", "QA");
        Assert.Equal(0, deleted);
        Assert.Contains("Deleted the council of QA", deleteOut);

        var (gone, _, goneErr) = await Orch(node.Address, "councils", "delete", "QA");
        Assert.Equal(1, gone);
        Assert.Contains("'QA'", goneErr);
    }

    [Fact]
    public async Task Lessons_are_listed_searched_and_an_unknown_one_is_not_deleted()
    {
        var (listed, list, _) = await Orch(node.Address, "lessons", "list", "--kind", "sql");
        Assert.Equal(0, listed);
        Assert.Contains("No lessons learned yet", list);

        var (json, document, _) = await Orch(node.Address, "lessons", "list", "--json");
        Assert.Equal(0, json);
        Assert.Equal(0, JsonDocument.Parse(document).RootElement.GetProperty("total").GetInt32());

        var (searched, found, _) = await Orch(node.Address, "lessons", "search", "slow query", "--kind", "sql");
        Assert.Equal(0, searched);
        Assert.Contains("No lesson is relevant", found);

        var (deleted, _, deleteErr) = await Orch(node.Address, "lessons", "delete", "lesson-42");
        Assert.Equal(1, deleted);
        Assert.Contains("'lesson-42'", deleteErr);
    }
}
