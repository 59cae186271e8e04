using System.Diagnostics;
using System.Globalization;

namespace Orchestrator.Benchmarks;

/// <summary>The local build of llama.cpp (<c>./build.sh native</c>, in <c>native/local</c>) against the prebuilt
/// libraries (<c>native/linux-x64</c>): the <see cref="LlamaPoolBenchmark"/> at 8 concurrent requests, run in a child
/// process per build (a process loads one llama.cpp), alternating builds so load from other processes hits both alike.
/// Prints pool and direct-loop tokens/s of each and the local/prebuilt ratio (goal: at least 1.3 at 8 sequences).
/// Options: --runs N (3), --threads N (2), --levels (8).</summary>
internal static class LlamaBuildsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = Orchestrator.Llama.Native.NativeLibraryLocator.FindRepositoryRoot() ?? Environment.CurrentDirectory;
        var local = Path.Combine(root, "native", "local");
        var prebuilt = Path.Combine(root, "native", "linux-x64", "bins", "linux-x64");
        if (!Directory.Exists(local))
        {
            Console.Error.WriteLine($"no local build in {local}: run ./build.sh native first");
            return 2;
        }
        var runs = LlamaPoolBenchmark.IntOption(args, "--runs", 3);
        var threads = LlamaPoolBenchmark.IntOption(args, "--threads", 2);
        var level = LlamaPoolBenchmark.IntOption(args, "--levels", 8);
        var results = new Dictionary<string, List<(double Direct, double Pool)>> { ["prebuilt"] = [], ["local"] = [] };
        for (var run = 0; run < runs; run++)
        foreach (var (name, dir) in new[] { ("prebuilt", prebuilt), ("local", local) })
        {
            var figures = await RunChildAsync(dir, threads, level);
            results[name].Add(figures);
            Console.WriteLine($"run {run + 1} {name,-8}: direct {figures.Direct,7:F1} tok/s, pool {figures.Pool,7:F1} tok/s");
        }
        Console.WriteLine();
        Console.WriteLine($"at {level} concurrent requests, {threads} threads (min / median of {runs}):");
        foreach (var (name, list) in results)
            Console.WriteLine($"  {name,-8} pool {Min(list, f => f.Pool),7:F1} / {Median(list, f => f.Pool),7:F1} tok/s; " +
                              $"direct {Min(list, f => f.Direct),7:F1} / {Median(list, f => f.Direct),7:F1} tok/s");
        var ratios = results["local"].Zip(results["prebuilt"], (l, p) => l.Pool / p.Pool).ToList();
        Console.WriteLine($"  local/prebuilt (pool, per run pair): min {ratios.Min():F2}, median {Median(ratios, r => r):F2} (goal >= 1.3)");
        return 0;
    }

    private static async Task<(double Direct, double Pool)> RunChildAsync(string nativeDir, int threads, int level)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (!self.EndsWith("Orchestrator.Benchmarks", StringComparison.Ordinal)) info.ArgumentList.Add(typeof(LlamaBuildsBenchmark).Assembly.Location);
        foreach (var a in new[] { "llama-pool", "--native", nativeDir, "--threads", threads.ToString(CultureInfo.InvariantCulture), "--levels", level.ToString(CultureInfo.InvariantCulture), "--rounds", "2" })
            info.ArgumentList.Add(a);
        using var child = Process.Start(info)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        var errors = await child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0) throw new InvalidOperationException($"llama-pool with {nativeDir} exited {child.ExitCode}: {errors}");
        // The table row of the level: "          8 |        195.1 |      190.2 |        0.97 | ..."
        var row = output.Split('\n').Select(l => l.Split('|')).First(c => c.Length >= 4 && c[0].Trim() == level.ToString(CultureInfo.InvariantCulture));
        return (double.Parse(row[1], CultureInfo.InvariantCulture), double.Parse(row[2], CultureInfo.InvariantCulture));
    }

    private static double Min<T>(IEnumerable<T> items, Func<T, double> value) => items.Min(value);

    private static double Median<T>(IEnumerable<T> items, Func<T, double> value)
    {
        var sorted = items.Select(value).Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
