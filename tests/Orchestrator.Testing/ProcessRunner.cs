using System.Diagnostics;

namespace Orchestrator.Testing;

/// <summary>Runs a short command to completion and fails with its output when it fails.</summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>; throws with stdout and stderr on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null)
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
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish within {timeout}.");
        }
        var output = await stdout + await stderr;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', info.ArgumentList)} exited {process.ExitCode}:\n{output}");
        return output;
    }
}
