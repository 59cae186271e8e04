using System.Diagnostics;

namespace Orchestrator.Testing;

/// <summary>Runs a short command to completion: its exit code and output, or a failure with its output.</summary>
public static class ProcessRunner
{
    /// <summary>How a command ended: its exit code, standard output and standard error.</summary>
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>; throws with stdout and stderr on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null)
    {
        var arguments = args.ToList();
        var outcome = await RunToExitAsync(file, arguments, timeout, workingDirectory);
        if (outcome.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {outcome.ExitCode}:\n{outcome.Stdout}{outcome.Stderr}");
        return outcome.Stdout + outcome.Stderr;
    }

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> to its end, whatever its exit code; throws
    /// <see cref="TimeoutException"/> (the process killed) when it runs past <paramref name="timeout"/>.</summary>
    public static async Task<Outcome> RunToExitAsync(string file, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null)
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
        return new Outcome(process.ExitCode, await stdout, await stderr);
    }
}
