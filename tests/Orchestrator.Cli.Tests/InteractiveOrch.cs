using System.Diagnostics;
using System.Text;

namespace Orchestrator.Cli.Tests;

/// <summary>The built <c>orch</c> as a child process at its interactive prompt, fed lines through a pipe as a person
/// types them, and sent SIGINT as a terminal's Ctrl-C does.</summary>
internal sealed class InteractiveOrch : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();
    private readonly Lock _gate = new();

    public InteractiveOrch(params string[] args)
    {
        var dll = Path.Combine(Path.GetDirectoryName(typeof(ExitCodes).Assembly.Location)!, "orch.dll");
        // Through env --default-signal=INT: a test run started in the background (a CI script's `cmd &`) passes SIGINT on
        // ignored, and .NET leaves an ignored SIGINT ignored, so orch would never see the Ctrl-C. A terminal's orch
        // starts with the default, as it does here.
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Append(_out, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_err, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Out
    {
        get { lock (_gate) return _out.ToString(); }
    }

    public string Err
    {
        get { lock (_gate) return _err.ToString(); }
    }

    public async Task TypeAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits until standard output contains <paramref name="text"/> (at most 30 s).</summary>
    public async Task WaitForOutputAsync(string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Out.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
                throw new TimeoutException($"orch never printed '{text}' ({(_process.HasExited ? $"it exited with {_process.ExitCode}" : "it runs")}):\n{Out}\n{Err}");
            await Task.Delay(20);
        }
    }

    /// <summary>Sends SIGINT, what a terminal sends for Ctrl-C.</summary>
    public async Task InterruptAsync()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString()]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Closes the input and waits (at most 30 s) for orch to exit; its exit code.</summary>
    public async Task<int> EndAsync()
    {
        _process.StandardInput.Close();
        try
        {
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"orch did not exit:\n{Out}\n{Err}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void Append(StringBuilder to, string? line)
    {
        if (line is null) return;
        lock (_gate) to.Append(line).Append('\n');
    }
}
