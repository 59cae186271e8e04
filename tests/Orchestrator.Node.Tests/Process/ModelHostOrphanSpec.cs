using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>A model host never outlives its node: killed at once (SIGKILL, no shutdown of its own), the node closes the
/// host's standard input by dying, and the host stops.</summary>
public sealed class ModelHostOrphanSpec : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-orphan-").FullName;

    [Fact]
    public async Task A_node_killed_with_sigkill_leaves_no_model_host_running()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        var config = Path.Combine(_dir, "node.conf");
        await File.WriteAllTextAsync(config, $$"""
            orchestrator.llm.models.tiny { path = {{HoconText.Quote(model)}}, context-size = 1024, sequences = 1, threads = 1 }
            orchestrator.persistence.sqlite.path = {{HoconText.Quote(Path.Combine(_dir, "node.db"))}}
            """);
        var env = new Dictionary<string, string> { ["ORCH_API_PORT"] = FreePort.Next().ToString() };
        await using var node = NodeProcess.Start(_dir, env, "--config", config);
        await node.WaitUntilReadyAsync(Deadline);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.ApiPort}") };
        await Eventually.HoldsAsync(
            async () => (await http.GetFromJsonAsync<JsonElement>("/api/models")).GetProperty("models")[0].GetProperty("loaded").GetBoolean(),
            Deadline, () => $"the model never loaded:\n{node.Transcript}");
        var hosts = ChildrenRunning(node.Pid, "model-host");
        var host = Assert.Single(hosts);

        node.Kill();
        await node.WaitForExitAsync(Deadline);

        Assert.True(host.WaitForExit(Deadline), "the model host outlived its node");
        host.Dispose();
    }

    /// <summary>The running children of <paramref name="parent"/> whose command line has <paramref name="verb"/>.</summary>
    private static List<System.Diagnostics.Process> ChildrenRunning(int parent, string verb) =>
        Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == parent && CommandLine(pid).Contains(verb, StringComparison.Ordinal))
            .Select(System.Diagnostics.Process.GetProcessById)
            .ToList();

    private static int ParentOf(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid ...", where comm may hold spaces and parentheses.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (IOException)
        {
            return 0; // gone meanwhile
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
