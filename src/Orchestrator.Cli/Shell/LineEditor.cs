using System.Text;

namespace Orchestrator.Cli.Shell;

/// <summary>A small line editor for the interactive prompt: left/right, home/end, backspace/delete, history on
/// up/down, and tab completion of command paths.</summary>
public sealed class LineEditor(IReadOnlyList<string> completions)
{
    private readonly List<string> _history = [];

    /// <summary>Reads one line after <paramref name="prompt"/>; null at Ctrl-D on an empty line.</summary>
    public string? ReadLine(string prompt)
    {
        Console.Write(prompt);
        var buffer = new StringBuilder();
        var cursor = 0;
        var historyIndex = _history.Count;
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.WriteLine();
                    var line = buffer.ToString();
                    if (line.Trim().Length > 0 && (_history.Count == 0 || _history[^1] != line))
                        _history.Add(line);
                    return line;
                case ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control) && buffer.Length == 0:
                    Console.WriteLine();
                    return null;
                case ConsoleKey.Backspace when cursor > 0:
                    buffer.Remove(--cursor, 1);
                    break;
                case ConsoleKey.Delete when cursor < buffer.Length:
                    buffer.Remove(cursor, 1);
                    break;
                case ConsoleKey.LeftArrow when cursor > 0:
                    cursor--;
                    break;
                case ConsoleKey.RightArrow when cursor < buffer.Length:
                    cursor++;
                    break;
                case ConsoleKey.Home:
                    cursor = 0;
                    break;
                case ConsoleKey.End:
                    cursor = buffer.Length;
                    break;
                case ConsoleKey.UpArrow when historyIndex > 0:
                    Replace(buffer, _history[--historyIndex], ref cursor);
                    break;
                case ConsoleKey.DownArrow when historyIndex < _history.Count:
                    historyIndex++;
                    Replace(buffer, historyIndex == _history.Count ? "" : _history[historyIndex], ref cursor);
                    break;
                case ConsoleKey.Tab:
                    Complete(buffer, ref cursor);
                    break;
                default:
                    if (!char.IsControl(key.KeyChar))
                        buffer.Insert(cursor++, key.KeyChar);
                    break;
            }
            Redraw(prompt, buffer, cursor);
        }
    }

    /// <summary>The completions of <paramref name="typed"/>: the longest common extension, and every candidate.</summary>
    public (string Completed, IReadOnlyList<string> Candidates) Completion(string typed)
    {
        var candidates = completions.Where(c => c.StartsWith(typed, StringComparison.Ordinal)).ToList();
        if (candidates.Count == 0)
            return (typed, candidates);
        var common = candidates.Aggregate((a, b) => new string(a.Zip(b).TakeWhile(p => p.First == p.Second).Select(p => p.First).ToArray()));
        return (common.Length > typed.Length ? common : typed, candidates);
    }

    private void Complete(StringBuilder buffer, ref int cursor)
    {
        var (completed, candidates) = Completion(buffer.ToString());
        if (candidates.Count == 1)
            completed = candidates[0] + " ";
        else if (candidates.Count > 1 && completed == buffer.ToString())
        {
            Console.WriteLine();
            Console.WriteLine(string.Join("   ", candidates));
        }
        Replace(buffer, completed, ref cursor);
    }

    private static void Replace(StringBuilder buffer, string text, ref int cursor)
    {
        buffer.Clear().Append(text);
        cursor = buffer.Length;
    }

    private static void Redraw(string prompt, StringBuilder buffer, int cursor)
    {
        Console.Write("\r" + prompt + buffer + "\u001b[K");
        var back = buffer.Length - cursor;
        if (back > 0)
            Console.Write($"\u001b[{back}D");
    }
}
