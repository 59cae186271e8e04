using Spectre.Console;
using Spectre.Console.Rendering;

namespace Orchestrator.Cli;

/// <summary>A render hook that keeps every table within a width: each cell is drawn on one line, and when
/// the table is too wide the widest column gives way first (free text, usually), down to its header, then the next
/// widest, so that short columns (ids, states, figures) stay whole; a cut cell ends with an ellipsis.</summary>
public sealed class FittedTables(int width) : IRenderHook
{
    /// <inheritdoc />
    public IEnumerable<IRenderable> Process(RenderOptions options, IEnumerable<IRenderable> renderables) =>
        renderables.Select(r =>
        {
            if (r is Table table)
                Fit(table, options, Math.Min(width, options.ConsoleSize.Width));
            return r;
        });

    /// <summary>Makes each cell of <paramref name="table"/> a single line within the width its column is given so that
    /// the table is at most <paramref name="width"/> columns wide.</summary>
    public static void Fit(Table table, RenderOptions options, int width)
    {
        var rows = table.Rows.Select(r => r.Select(c => c is OneLine line ? line.Inner : c).ToList()).ToList();
        var columns = table.Columns.Count;
        var natural = new int[columns];
        var header = new int[columns];
        for (var c = 0; c < columns; c++)
        {
            header[c] = table.ShowHeaders ? table.Columns[c].Header.Measure(options, OneLine.Unbounded).Max : 0;
            natural[c] = header[c];
            foreach (var row in rows.Where(r => c < r.Count))
                natural[c] = Math.Max(natural[c], row[c].Measure(options, OneLine.Unbounded).Max);
        }
        var chrome = table.Columns.Sum(c => (c.Padding?.Left ?? 1) + (c.Padding?.Right ?? 1)) + (table.Border == TableBorder.None ? 0 : columns + 1);
        var given = Allocate(natural, header, width - chrome);
        // Headers wrap within the width rather than widen the table.
        table.Width = Math.Min(width, given.Sum() + chrome);
        for (var r = 0; r < rows.Count; r++)
            for (var c = 0; c < rows[r].Count && c < columns; c++)
                table.UpdateCell(r, c, new OneLine(rows[r][c], given[c]));
    }

    /// <summary>Widths for columns of <paramref name="natural"/> widths within <paramref name="budget"/>: the widest
    /// column is cut first, down to its header (at least 6), then the next widest; if that is not enough, the widest
    /// columns are narrowed one at a time until the table fits.</summary>
    public static int[] Allocate(int[] natural, int[] header, int budget)
    {
        var given = (int[])natural.Clone();
        var excess = given.Sum() - budget;
        foreach (var c in Enumerable.Range(0, given.Length).OrderByDescending(c => natural[c]))
        {
            if (excess <= 0) break;
            var floor = Math.Min(natural[c], Math.Max(header[c], 6));
            var cut = Math.Min(excess, given[c] - floor);
            given[c] -= cut;
            excess -= cut;
        }
        while (excess > 0 && given.Max() > 1)
        {
            given[Array.IndexOf(given, given.Max())]--;
            excess--;
        }
        return given;
    }

    /// <summary>A cell drawn on one line per line of its text, cut with an ellipsis past its column's width.</summary>
    private sealed class OneLine(IRenderable inner, int width) : Renderable
    {
        public const int Unbounded = 100_000;

        public IRenderable Inner => inner;

        protected override Measurement Measure(RenderOptions options, int maxWidth)
        {
            var shown = Math.Min(Math.Min(inner.Measure(options, Unbounded).Max, width), maxWidth);
            return new Measurement(shown, shown);
        }

        protected override IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
        {
            var lines = Segment.SplitLines(inner.Render(options, Unbounded));
            for (var i = 0; i < lines.Count; i++)
            {
                if (i > 0)
                    yield return Segment.LineBreak;
                var line = lines[i];
                if (line.CellCount() <= maxWidth)
                {
                    foreach (var segment in line) yield return segment;
                    continue;
                }
                foreach (var segment in Segment.Truncate(line, Math.Max(0, maxWidth - 1))) yield return segment;
                if (maxWidth > 0)
                    yield return new Segment("…");
            }
        }
    }
}
