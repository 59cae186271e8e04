using System.Text;
using Orchestrator.Cli.Shell;

namespace Orchestrator.Cli.Tests;

/// <summary>A terminal whose keys are given in advance, recording what the line editor draws and whether it was editing
/// (Ctrl-C read as a key) when each key was read.</summary>
internal sealed class ScriptedTerminal(params IEnumerable<ConsoleKeyInfo>[] keys) : ITerminal
{
    private readonly Queue<ConsoleKeyInfo> _keys = new(keys.SelectMany(k => k));
    private int _editing;

    public StringBuilder Drawn { get; } = new();

    public bool EveryKeyReadWhileEditing { get; private set; } = true;

    public IDisposable EditLine()
    {
        _editing++;
        return new Leave(this);
    }

    public ConsoleKeyInfo ReadKey()
    {
        if (_editing == 0) EveryKeyReadWhileEditing = false;
        return _keys.Count > 0 ? _keys.Dequeue() : throw new InvalidOperationException("The editor read past the scripted keys.");
    }

    public void Write(string text) => Drawn.Append(text);

    public static IEnumerable<ConsoleKeyInfo> Type(string text) =>
        text.Select(c => new ConsoleKeyInfo(c, char.IsAsciiLetter(c) ? (ConsoleKey)char.ToUpperInvariant(c) : c == ' ' ? ConsoleKey.Spacebar : 0,
            char.IsUpper(c), false, false));

    public static IEnumerable<ConsoleKeyInfo> Ctrl(char letter) =>
        [new ConsoleKeyInfo((char)(letter - 'A' + 1), (ConsoleKey)letter, false, false, true)];

    public static IEnumerable<ConsoleKeyInfo> Key(ConsoleKey key, char keyChar = '\0') => [new ConsoleKeyInfo(keyChar, key, false, false, false)];

    public static IEnumerable<ConsoleKeyInfo> Enter => Key(ConsoleKey.Enter, '\r');

    private sealed class Leave(ScriptedTerminal terminal) : IDisposable
    {
        public void Dispose() => terminal._editing--;
    }
}
