using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Orchestrator.Testing;

/// <summary>An Orchestrator node as a child process (the built <c>Orchestrator.Node.dll</c> of the same configuration
/// as the running tests), with its output captured line by line for deadline-based waits, and real signals.</summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentQueue<OutputLine> _timedStdout = new();
    private readonly Stopwatch _sinceStart = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeProcess(Process process, int apiPort)
    {
        _process = process;
        ApiPort = apiPort;
    }

    /// <summary>The API port the node was given.</summary>
    public int ApiPort { get; }

    /// <summary>The process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Standard output lines so far.</summary>
    public IReadOnlyCollection<string> Output => _stdout;

    /// <summary>Standard output lines so far, each with when it arrived (since the process was started).</summary>
    public IReadOnlyCollection<OutputLine> TimedOutput => _timedStdout;

    /// <summary>Everything printed so far, for failure messages.</summary>
    public string Transcript => string.Join('\n', _stdout) + "\n--- stderr ---\n" + string.Join('\n', _stderr);

    /// <summary>The path of the node's dll.</summary>
    public static string NodeDll => BuiltOutput.Dll(Path.Combine("src", "Orchestrator.Node"), "Orchestrator.Node");

    /// <summary>Starts a node in <paramref name="workingDirectory"/> with <paramref name="environment"/> added to its
    /// environment (ports default to free ones) and <paramref name="args"/>.</summary>
    public static NodeProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet");
        info.ArgumentList.Add(NodeDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Start(info, workingDirectory, environment);
    }

    /// <summary>Starts a node as <c>./build.sh</c> does: a shell runs <paramref name="before"/>, then <c>exec</c>s the
    /// node in its own process (same pid, same process start time) with <paramref name="args"/>.</summary>
    public static NodeProcess StartAfterShell(string workingDirectory, string before, IReadOnlyDictionary<string, string>? environment = null,
        params string[] args)
    {
        var info = new ProcessStartInfo("/bin/sh");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"{before}; exec dotnet \"$0\" \"$@\"");
        info.ArgumentList.Add(NodeDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Start(info, workingDirectory, environment);
    }

    private static NodeProcess Start(ProcessStartInfo info, string workingDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        info.WorkingDirectory = workingDirectory;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var env = new Dictionary<string, string>
        {
            ["ORCH_API_PORT"] = FreePort.Next().ToString(),
            ["ORCH_NODE_PORT"] = FreePort.Next().ToString(),
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) env[k] = v;
        foreach (var (k, v) in env) info.Environment[k] = v;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var node = new NodeProcess(process, int.TryParse(env["ORCH_API_PORT"], out var apiPort) ? apiPort : 0);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) node._stdoutClosed.TrySetResult();
            else
            {
                node._timedStdout.Enqueue(new OutputLine(node._sinceStart.Elapsed, e.Data));
                node._stdout.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) node._stderr.Enqueue(e.Data);
        };
        node._sinceStart.Start();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Waits until a line of standard output satisfies <paramref name="predicate"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var line = _stdout.FirstOrDefault(predicate);
            if (line is not null) return line;
            if (_process.HasExited && _stdoutClosed.Task.IsCompleted)
                throw new InvalidOperationException($"Node exited ({_process.ExitCode}) before printing the expected line:\n{Transcript}");
            await Task.Delay(20);
        }
        throw new TimeoutException($"No expected line within {timeout}:\n{Transcript}");
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"Node exited ({_process.ExitCode}) before it was ready:\n{Transcript}");
            try
            {
                var response = await http.GetAsync($"http://127.0.0.1:{ApiPort}/health/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Node not ready within {timeout}:\n{Transcript}");
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await _stdoutClosed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Node did not exit within {timeout}:\n{Transcript}");
        }
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as a container runtime or systemd would.</summary>
    public void Terminate() => Signal(15);

    /// <summary>Sends SIGKILL: the process dies at once, without any of its own shutdown.</summary>
    public void Kill() => Signal(9);

    private void Signal(int signal)
    {
        if (SendSignal(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    /// <summary>Kills the node if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
