using System.Text;

namespace Orchestrator.Cli.Shell;

/// <summary>A small line editor for the interactive prompt, with bash's keys: left/right, Home/End and Ctrl-A/Ctrl-E,
/// Backspace/Delete, Ctrl-U (kill to the start), Ctrl-K (kill to the end), Ctrl-W (delete the previous word), Ctrl-C
/// (abandon the line), Ctrl-D (end on an empty line), history on up/down, and tab completion: a tab completes the
/// candidates' common extension, and a second tab in a row lists the candidates of an ambiguous prefix.</summary>
public sealed class LineEditor(ITerminal terminal, Func<string, IReadOnlyList<string>> complete)
{
    private readonly List<string> _history = [];

    /// <summary>An editor completing the command paths in <paramref name="completions"/>.</summary>
    public LineEditor(ITerminal terminal, IReadOnlyList<string> completions)
        : this(terminal, typed => completions.Where(c => c.StartsWith(typed, StringComparison.Ordinal)).ToList())
    {
    }

    /// <summary>Reads one line after <paramref name="prompt"/>; null at Ctrl-D on an empty line.</summary>
    public string? ReadLine(string prompt)
    {
        using var editing = terminal.EditLine();
        terminal.Write(prompt);
        var buffer = new StringBuilder();
        var cursor = 0;
        var historyIndex = _history.Count;
        var tabs = 0;
        while (true)
        {
            var key = terminal.ReadKey();
            tabs = key.Key == ConsoleKey.Tab ? tabs + 1 : 0;
            if (Control(key, 'C'))
            {
                // As bash: the line is abandoned, not run, and a fresh prompt is drawn.
                terminal.Write("^C\r\n" + prompt);
                buffer.Clear();
                cursor = 0;
                historyIndex = _history.Count;
                continue;
            }
            if (Control(key, 'D'))
            {
                if (buffer.Length == 0)
                {
                    terminal.Write("\r\n");
                    return null;
                }
                if (cursor < buffer.Length)
                    buffer.Remove(cursor, 1);
            }
            else if (Control(key, 'A'))
                cursor = 0;
            else if (Control(key, 'E'))
                cursor = buffer.Length;
            else if (Control(key, 'U'))
            {
                buffer.Remove(0, cursor);
                cursor = 0;
            }
            else if (Control(key, 'K'))
                buffer.Length = cursor;
            else if (Control(key, 'W'))
            {
                var start = cursor;
                while (start > 0 && char.IsWhiteSpace(buffer[start - 1])) start--;
                while (start > 0 && !char.IsWhiteSpace(buffer[start - 1])) start--;
                buffer.Remove(start, cursor - start);
                cursor = start;
            }
            else
            {
                switch (key.Key)
                {
                    case ConsoleKey.Enter:
                        terminal.Write("\r\n");
                        var line = buffer.ToString();
                        if (line.Trim().Length > 0 && (_history.Count == 0 || _history[^1] != line))
                            _history.Add(line);
                        return line;
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
                        Complete(prompt, buffer, ref cursor, list: tabs >= 2);
                        break;
                    default:
                        if (!char.IsControl(key.KeyChar) && !key.Modifiers.HasFlag(ConsoleModifiers.Control))
                            buffer.Insert(cursor++, key.KeyChar);
                        break;
                }
            }
            Redraw(prompt, buffer, cursor);
        }
    }

    /// <summary>The completions of <paramref name="typed"/>: the longest common extension, and every candidate.</summary>
    public (string Completed, IReadOnlyList<string> Candidates) Completion(string typed)
    {
        var candidates = complete(typed);
        if (candidates.Count == 0)
            return (typed, candidates);
        var common = candidates.Aggregate((a, b) => new string(a.Zip(b).TakeWhile(p => p.First == p.Second).Select(p => p.First).ToArray()));
        return (common.Length > typed.Length ? common : typed, candidates);
    }

    /// <summary>True for Ctrl-<paramref name="letter"/>, whether the console reports the key or only its control character.</summary>
    private static bool Control(ConsoleKeyInfo key, char letter) =>
        key.KeyChar == letter - 'A' + 1 || (key.Key == (ConsoleKey)letter && key.Modifiers.HasFlag(ConsoleModifiers.Control));

    private void Complete(string prompt, StringBuilder buffer, ref int cursor, bool list)
    {
        var (completed, candidates) = Completion(buffer.ToString());
        if (candidates.Count == 1)
            completed = candidates[0] + " ";
        else if (list && candidates.Count > 1 && completed == buffer.ToString())
        {
            // Each candidate as the word it offers, after the words typed before it.
            var typed = buffer.ToString();
            var start = typed.LastIndexOf(' ') + 1;
            terminal.Write("\r\n" + string.Join("   ", candidates.Select(c => c.Length >= start ? c[start..] : c)) + "\r\n" + prompt);
        }
        Replace(buffer, completed, ref cursor);
    }

    private static void Replace(StringBuilder buffer, string text, ref int cursor)
    {
        buffer.Clear().Append(text);
        cursor = buffer.Length;
    }

    private void Redraw(string prompt, StringBuilder buffer, int cursor)
    {
        terminal.Write("\r" + prompt + buffer + "\u001b[K");
        var back = buffer.Length - cursor;
        if (back > 0)
            terminal.Write($"\u001b[{back}D");
    }
}
