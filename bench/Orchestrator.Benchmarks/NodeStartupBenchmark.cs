using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Testing;

namespace Orchestrator.Benchmarks;

/// <summary>(d) Node start to ready: the built node (<c>src/Orchestrator.Node/bin/&lt;configuration&gt;</c>, built with
/// this project) launched as a child process on free ports with a new SQLite file, timed until its
/// "Orchestrator node ready" line; then the RSS of the idle node (VmRSS after a few seconds' settle), and the time a
/// SIGTERM takes to stop it. Baselines in the same run, measured the same way: a bare .NET process (this program's
/// <c>--idle-baseline</c>, which prints one line and idles) and a bare web host (<c>--idle-web-baseline PORT</c>: the
/// node's slim ASP.NET Core builder with Kestrel on loopback, one endpoint, the node's server GC), which is the floor
/// under the node's API before Akka.NET, persistence and the engine.</summary>
internal static partial class NodeStartupBenchmark
{
    private const string ReadyLine = "Orchestrator node ready in";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(BenchOptions options)
    {
        var nodes = Nodes(options.Args);
        foreach (var (label, dll) in nodes)
            Console.WriteLine($"  # {label}: {dll}");
        if (nodes.Count == 1)
            Console.WriteLine($"  # no published node in {PublishedFolder}: `./build.sh publish` makes one (ReadyToRun), measured beside the build");
        Console.WriteLine($"  # extra environment: {string.Join(' ', NodeEnvironment(options.Args).Select(kv => $"{kv.Key}={kv.Value}"))}");
        for (var run = 1; run <= options.Runs; run++)
        {
            Console.WriteLine($"-- run {run}/{options.Runs}");
            var self = typeof(NodeStartupBenchmark).Assembly.Location;
            var baseline = await MeasureAsync(DotnetHost, [self, "--idle-baseline"], "idle-baseline ready", null);
            var web = await MeasureAsync(DotnetHost, [self, "--idle-web-baseline", FreePort.Next().ToString()], "idle-web-baseline ready",
                new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" });
            foreach (var (label, dll) in nodes)
            {
                var measured = await MeasureNodeAsync(dll, options.Args, run);
                Report.Line($"{label} start to ready", measured.ReadySeconds, "s", ("bare .NET process", baseline.ReadySeconds), ("bare web host", web.ReadySeconds));
                Report.Line($"{label} idle RSS", measured.RssMb, "MB", ("bare .NET process", baseline.RssMb), ("bare web host", web.RssMb));
                Report.Line($"{label} SIGTERM to exit", measured.StopSeconds, "s");
                Report.Note($"the {label}'s own figure: {measured.Line}");
            }
        }
    }

    private static readonly string PublishedFolder = Path.Combine(RepositoryRoot.Path, "artifacts", "node");

    /// <summary>The nodes to measure: <c>--node-dll FILE</c> alone, or the build of this configuration and, when
    /// <c>./build.sh publish</c> has made one, the published (ReadyToRun) node.</summary>
    private static List<(string Label, string Dll)> Nodes(IReadOnlyList<string> args)
    {
        var i = args.ToList().IndexOf("--node-dll");
        if (i >= 0 && i + 1 < args.Count)
            return [("node", Path.GetFullPath(args[i + 1]))];
        var published = Path.Combine(PublishedFolder, "Orchestrator.Node.dll");
        return File.Exists(published)
            ? [($"node ({Configuration} build)", NodeDll()), ("node (ReadyToRun publish)", published)]
            : [($"node ({Configuration} build)", NodeDll())];
    }

    /// <summary>Starts the node in a new folder on free ports with a new SQLite file and measures it.</summary>
    private static async Task<Measured> MeasureNodeAsync(string dll, IReadOnlyList<string> args, int run)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"orch-bench-node-{Environment.ProcessId}-{run}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var env = new Dictionary<string, string>
            {
                ["ORCH_API_PORT"] = FreePort.Next().ToString(),
                ["ORCH_NODE_PORT"] = FreePort.Next().ToString(),
                ["ORCH_SQLITE_PATH"] = Path.Combine(folder, "data", "orchestrator.db"),
            };
            foreach (var extra in NodeEnvironment(args))
                env[extra.Key] = extra.Value;
            return await MeasureAsync(DotnetHost, [dll], ReadyLine, env, folder);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Runtime settings to try on the node without rebuilding it: <c>--node-env DOTNET_gcServer=0</c>.</summary>
    private static Dictionary<string, string> NodeEnvironment(IReadOnlyList<string> args) =>
        args.Select((a, i) => (a, i)).Where(x => x.a == "--node-env" && x.i + 1 < args.Count)
            .Select(x => args[x.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

    /// <summary>The baseline process: one line, then idle until killed.</summary>
    public static async Task<int> IdleBaselineAsync()
    {
        Console.WriteLine("idle-baseline ready");
        await Task.Delay(Timeout.Infinite);
        return 0;
    }

    /// <summary>The web baseline: the node's slim builder and Kestrel on a loopback port with one endpoint, then idle
    /// until stopped.</summary>
    public static async Task<int> IdleWebBaselineAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapGet("/health/ready", () => "ready");
        await app.StartAsync();
        Console.WriteLine("idle-web-baseline ready");
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>The dotnet host that runs a framework-dependent dll (this program may run from its apphost).</summary>
    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    private static string NodeDll()
    {
        var path = Path.Combine(RepositoryRoot.Path, "src", "Orchestrator.Node", "bin", Configuration, "net10.0", "Orchestrator.Node.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the benchmarks in {Configuration} first: {path} is missing.");
    }

    /// <summary>Log lines that mark the node's way to ready, timed from the launch.</summary>
    private static readonly (string Marker, string Label)[] Milestones =
    [
        ("Starting remoting", "remoting-starting"),
        ("Remoting started", "remoting-started"),
        ("Started up successfully", "cluster-started"),
        ("to [Up]", "member-up"),
        (ReadyLine, "ready"),
    ];

    private sealed record Measured(double ReadySeconds, double RssMb, double StopSeconds, string Line);

    private static async Task<Measured> MeasureAsync(string file, string[] args, string readyText, Dictionary<string, string>? env, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? [])
            info.Environment[k] = v;
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var timeline = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            output.Enqueue(e.Data);
            foreach (var (marker, label) in Milestones)
                if (e.Data.Contains(marker, StringComparison.Ordinal))
                    timeline.Enqueue($"{label} {watch.Elapsed.TotalSeconds:0.000}s");
            if (e.Data.Contains(readyText, StringComparison.Ordinal))
                ready.TrySetResult(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
            if (first != ready.Task)
                throw new InvalidOperationException($"{Path.GetFileName(args[0])} did not report ready:\n{string.Join('\n', output)}");
            var readySeconds = watch.Elapsed.TotalSeconds;
            await Task.Delay(Settle);
            var rss = RssMb(process.Id);
            var memory = string.Join(", ", File.ReadLines($"/proc/{process.Id}/status")
                .Where(l => l.StartsWith("RssAnon:") || l.StartsWith("RssFile:") || l.StartsWith("Threads:"))
                .Select(l => Regex.Replace(l, @"\s+", " ")));
            var stop = Stopwatch.StartNew();
            Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            return new Measured(readySeconds, rss, stop.Elapsed.TotalSeconds, Strip(ready.Task.Result) + $" | {memory} | timeline: " + string.Join(", ", timeline));
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    private static double RssMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(Digits().Match(line).Value) / 1024.0;
    }

    private static string Strip(string line) => line.Length > 140 ? line[..140] + "…" : line;

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
