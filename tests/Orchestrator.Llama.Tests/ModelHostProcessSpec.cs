using Orchestrator.Llama.Pool;
using Orchestrator.Llama.Processes;

namespace Orchestrator.Llama.Tests;

/// <summary>How a model host process is stopped: its input closed and time to stop on its own, killed only past the
/// grace. The host here is a shell that acts as one does on its input (reads the start line, stops at the input's end),
/// taking its time to stop as a host on a loaded machine does.</summary>
public sealed class ModelHostProcessSpec : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly ModelHostStart Start = new(new PoolSettings("tiny", "/models/tiny.gguf"), null, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-host-stop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A host that stops <paramref name="stopSeconds"/> after its input ends, then writes <c>stopped</c> in the
    /// test's folder; it reports its pid at once in the folder's <c>pid</c>.</summary>
    private NodeChildCommand SlowStoppingHost(int stopSeconds) =>
        new("/bin/sh", ["-c", $"echo $$ > '{_dir}/pid'; read start; while read line; do :; done; sleep {stopSeconds}; touch '{_dir}/stopped'"]);

    [Fact]
    public async Task A_host_slow_to_stop_is_given_the_time_to_stop_on_its_own_and_the_caller_does_not_wait_for_it()
    {
        // Four seconds: beyond the three the node used to wait (blocking the stopping pool's thread) before killing a
        // host, which dropped its connection and logged a failed association on a loaded machine.
        var host = ModelHostProcess.Start(SlowStoppingHost(4), Start, _ => { }, _ => { }, _ => { });
        var pid = await PidAsync();

        host.Dispose();
        Assert.False(File.Exists(Path.Combine(_dir, "stopped")), "Dispose waited for the host to stop");

        await WaitUntil(() => File.Exists(Path.Combine(_dir, "stopped")), "the host was killed before it could stop on its own");
        await WaitUntil(() => !IsRunning(pid), $"the host (pid {pid}) did not exit after it stopped");
    }

    [Fact]
    public async Task A_host_that_does_not_stop_within_the_grace_is_killed()
    {
        var host = ModelHostProcess.Start(SlowStoppingHost(3600), Start, _ => { }, _ => { }, _ => { });
        var pid = await PidAsync();

        await host.Stop(TimeSpan.FromSeconds(1)).WaitAsync(Deadline);

        Assert.False(IsRunning(pid), $"the host (pid {pid}) outlived its grace");
        Assert.False(File.Exists(Path.Combine(_dir, "stopped")));
    }

    private async Task<int> PidAsync()
    {
        var file = Path.Combine(_dir, "pid");
        await WaitUntil(() => File.Exists(file) && File.ReadAllText(file).Trim().Length > 0, "the host never started");
        return int.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Whether <paramref name="pid"/> is a process that has not ended (a zombie awaiting its parent's wait has).</summary>
    private static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task WaitUntil(Func<bool> condition, string failure)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, failure);
            await Task.Delay(50);
        }
    }
}
