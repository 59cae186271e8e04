namespace Orchestrator.Cli.Tests;

/// <summary>Tables fit the width: the terminal's on a terminal, else <c>COLUMNS</c>, else 120; a long cell is cut with an
/// ellipsis and each row stays one line.</summary>
public sealed class TableWidthSpec
{
    private static readonly string LongReason = string.Join(' ', Enumerable.Repeat("the reviewer asked for one more revision", 12));

    private static FakeNode NodeWithLongCells() => new(c => FakeNode.Json(c, $$"""
        {"sessions":[{"sessionId":"s-9","template":"manuscript-review","lifecycle":"completed",
          "createdAt":"2026-11-23T10:00:00Z","updatedAt":"2026-11-23T10:05:00Z","iteration":2,"bestScore":0.875,"endReason":"{{LongReason}}"}],
         "next":null}
        """));

    [Theory]
    [InlineData(true, 100, "80", 100)]
    [InlineData(false, 100, "80", 80)]
    [InlineData(false, 100, null, 120)]
    [InlineData(false, 100, "wide", 120)]
    [InlineData(true, 0, "90", 90)]
    public void The_width_is_the_terminal_s_else_COLUMNS_else_120(bool terminal, int window, string? columns, int expected) =>
        Assert.Equal(expected, TerminalWidth.Of(terminal, () => window, columns));

    [Fact]
    public void A_terminal_whose_width_cannot_be_read_falls_back_to_COLUMNS() =>
        Assert.Equal(90, TerminalWidth.Of(true, () => throw new IOException("not a terminal"), "90"));

    [Fact]
    public void The_widest_column_gives_way_first_so_that_short_ones_stay_whole()
    {
        // Session, Template, Lifecycle, Iteration, Best score, Created, Updated, End reason: 95 columns to share.
        int[] natural = [10, 17, 9, 9, 10, 19, 19, 480];
        int[] header = [7, 8, 9, 9, 10, 7, 7, 10];

        var given = FittedTables.Allocate(natural, header, 95);

        Assert.Equal([10, 17, 9, 9, 10, 11, 19, 10], given);
        Assert.Equal(natural, FittedTables.Allocate(natural, header, 1000));
        Assert.True(FittedTables.Allocate(natural, header, 40).Sum() <= 40);
    }

    [Theory]
    [InlineData("80", 80)]
    [InlineData(null, 120)]
    public async Task A_piped_table_fits_the_width_and_cuts_long_cells(string? columns, int width)
    {
        await using var node = NodeWithLongCells();

        var (code, stdout, stderr) = await OrchProcess.RunWithEnvironment(null, new Dictionary<string, string?> { ["COLUMNS"] = columns },
            node.Address, "sessions", "list");

        Assert.True(code == 0, stdout + stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} columns: {l}"));
        var row = Assert.Single(lines, l => l.Contains("s-9", StringComparison.Ordinal));
        Assert.Contains("…", row);
        if (width >= 120)
            Assert.Contains("manuscript-review", row);
        Assert.DoesNotContain(LongReason, stdout);
    }
}
