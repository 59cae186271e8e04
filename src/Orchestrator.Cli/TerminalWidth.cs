using System.Globalization;

namespace Orchestrator.Cli;

/// <summary>How wide <c>orch</c> draws: the terminal's width on a terminal, else <c>COLUMNS</c>, else 120.</summary>
public static class TerminalWidth
{
    /// <summary>The width when nothing says otherwise.</summary>
    public const int Fallback = 120;

    /// <summary>The width for output that goes to a terminal (<paramref name="terminal"/>, whose width
    /// <paramref name="windowWidth"/> reads) or elsewhere, with <paramref name="columns"/> the <c>COLUMNS</c> variable.</summary>
    public static int Of(bool terminal, Func<int> windowWidth, string? columns)
    {
        if (terminal)
        {
            try
            {
                if (windowWidth() is > 0 and var width)
                    return width;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or PlatformNotSupportedException)
            {
                // No width to read after all: as when redirected.
            }
        }
        return int.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out var given) && given > 0 ? given : Fallback;
    }
}
