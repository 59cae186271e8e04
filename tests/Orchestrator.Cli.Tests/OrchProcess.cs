using System.Diagnostics;

namespace Orchestrator.Cli.Tests;

/// <summary>Runs the built <c>orch</c> as a child process with redirected input and output, as a script would.</summary>
internal static class OrchProcess
{
    public static Task<(int ExitCode, string Out, string Err)> Run(params string[] args) => RunWithInput(null, args);

    public static Task<(int ExitCode, string Out, string Err)> RunWithInput(string? input, params string[] args) =>
        RunWithEnvironment(input, new Dictionary<string, string?>(), args);

    /// <summary>Runs with <paramref name="environment"/>'s variables set (or removed, where null).</summary>
    public static async Task<(int ExitCode, string Out, string Err)> RunWithEnvironment(string? input, IDictionary<string, string?> environment,
        params string[] args)
    {
        var dll = Path.Combine(Path.GetDirectoryName(typeof(Orchestrator.Cli.ExitCodes).Assembly.Location)!, "orch.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"orch {string.Join(' ', args)} did not exit within 60 s:\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
