using System.Text.RegularExpressions;

namespace Orchestrator.Cli.Commands;

/// <summary>Writes a command line that a POSIX shell and <c>orch</c>'s prompt both split back into the same
/// arguments, so that a command <c>orch</c> prints can be run as it is.</summary>
internal static partial class ShellQuote
{
    /// <summary><paramref name="args"/> joined by spaces, each quoted when it holds anything but plain characters.</summary>
    public static string Join(IEnumerable<string> args) => string.Join(' ', args.Select(Quote));

    /// <summary><paramref name="arg"/> as is when plain, else in single quotes (a quote inside as <c>'\''</c>).</summary>
    public static string Quote(string arg) => arg.Length > 0 && Plain().IsMatch(arg) ? arg : "'" + arg.Replace("'", "'\\''") + "'";

    [GeneratedRegex(@"^[A-Za-z0-9_./:=@%+,\-\[\]]+$")]
    private static partial Regex Plain();
}
