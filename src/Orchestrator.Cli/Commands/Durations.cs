using System.Globalization;
using System.Text;

namespace Orchestrator.Cli.Commands;

/// <summary>Durations as people write them (<c>100ms</c>, <c>5s</c>, <c>2m30s</c>, <c>1d12h</c>), not .NET's
/// <c>00:00:00.1000000</c>.</summary>
internal static class Durations
{
    /// <summary><paramref name="duration"/> in days, hours, minutes, seconds and milliseconds, leaving out the zero parts
    /// (microseconds when it has less than a millisecond's remainder); <c>0s</c> for zero.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
            return "0s";
        var text = new StringBuilder(duration < TimeSpan.Zero ? "-" : "");
        var ticks = Math.Abs(duration.Ticks);
        foreach (var (unit, size) in Units)
        {
            var count = ticks / size;
            ticks %= size;
            if (count > 0)
                text.Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
        return text.ToString();
    }

    /// <summary>A setting's value as the node writes it, with a duration (<c>d.hh:mm:ss.fffffff</c>) made readable.</summary>
    public static string Readable(string value) =>
        value.Contains(':') && TimeSpan.TryParseExact(value, "c", CultureInfo.InvariantCulture, out var duration) ? Format(duration) : value;

    private static readonly (string Unit, long Size)[] Units =
    [
        ("d", TimeSpan.TicksPerDay), ("h", TimeSpan.TicksPerHour), ("m", TimeSpan.TicksPerMinute), ("s", TimeSpan.TicksPerSecond),
        ("ms", TimeSpan.TicksPerMillisecond), ("µs", TimeSpan.TicksPerMicrosecond),
    ];
}
