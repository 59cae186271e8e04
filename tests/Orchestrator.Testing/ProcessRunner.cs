using System.Diagnostics;

namespace Orchestrator.Testing;

/// <summary>Runs a short command to completion and fails with its output when it fails.</summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>; throws with stdout and stderr on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null)
    {
        var (exitCode, stdout, stderr) = await RunToExitAsync(file, args, timeout, workingDirectory);
        if (exitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {exitCode}:\n{stdout + stderr}");
        return stdout + stderr;
    }

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> to its end, whatever its exit code; throws when
    /// it runs past <paramref name="timeout"/> (it is killed then).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(string file, IEnumerable<string> args,
        TimeSpan timeout, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish within {timeout}:\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
