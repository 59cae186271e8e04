using System.Globalization;

namespace Orchestrator.Benchmarks;

/// <summary>One figure of one run, with the baselines measured in the same run.</summary>
internal sealed record Measurement(string Name, double Value, string Unit, IReadOnlyList<(string Baseline, double Value)> Baselines);

/// <summary>Uniform output: one line per figure, <c>name: value unit (ratio x baseline: value)</c>, and at the end the
/// minimum and median of every figure and every ratio over the runs.</summary>
internal static class Report
{
    private static readonly List<Measurement> All = [];

    /// <summary>Prints a figure of this run beside its baselines and keeps it for the summary.</summary>
    public static void Line(string name, double value, string unit, params (string Baseline, double Value)[] baselines)
    {
        var m = new Measurement(name, value, unit, baselines);
        All.Add(m);
        var ratios = baselines.Length == 0
            ? ""
            : " (" + string.Join("; ", baselines.Select(b => $"{Ratio(value, b.Value)}x {b.Baseline}: {Format(b.Value)}")) + ")";
        Console.WriteLine($"{name}: {Format(value)} {unit}{ratios}");
    }

    /// <summary>A note that is not a figure (settings, counts, checks).</summary>
    public static void Note(string text) => Console.WriteLine($"  # {text}");

    /// <summary>Min and median over the runs of every figure and of every ratio to its baseline.</summary>
    public static void Summary()
    {
        if (All.Count == 0)
            return;
        Console.WriteLine();
        Console.WriteLine("== summary: min / median over runs (n) ==");
        foreach (var group in All.GroupBy(m => m.Name))
        {
            var values = group.Select(m => m.Value).ToList();
            var unit = group.First().Unit;
            var ratios = group.First().Baselines.Select((b, i) =>
            {
                var r = group.Select(m => m.Baselines[i].Value == 0 ? double.NaN : m.Value / m.Baselines[i].Value).ToList();
                var bv = group.Select(m => m.Baselines[i].Value).ToList();
                return $"{Ratio(r.Min())}/{Ratio(Median(r))}x {b.Baseline} ({Format(bv.Min())}/{Format(Median(bv))})";
            });
            var baselines = string.Join("; ", ratios);
            Console.WriteLine($"{group.Key}: {Format(values.Min())} / {Format(Median(values))} {unit} (n={values.Count})" +
                              (baselines.Length > 0 ? $" [{baselines}]" : ""));
        }
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Ratio(double value, double baseline) => baseline == 0 ? "n/a" : Ratio(value / baseline);

    private static string Ratio(double ratio) => ratio.ToString(ratio < 0.1 ? "0.000" : "0.00", CultureInfo.InvariantCulture);

    private static string Format(double v) => Math.Abs(v) switch
    {
        >= 1000 => v.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => v.ToString("0.0", CultureInfo.InvariantCulture),
        _ => v.ToString("0.000", CultureInfo.InvariantCulture),
    };
}
