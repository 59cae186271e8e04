using Orchestrator.Cli.Shell;
using static Orchestrator.Cli.Tests.ScriptedTerminal;

namespace Orchestrator.Cli.Tests;

/// <summary>The interactive prompt's line editor fed key sequences: bash's Ctrl keys, and the keys it had before.</summary>
public sealed class LineEditorSpec
{
    private static (string? Line, ScriptedTerminal Terminal) Read(params IEnumerable<ConsoleKeyInfo>[] keys)
    {
        var terminal = new ScriptedTerminal(keys);
        var line = new LineEditor(terminal, ["cluster show", "sessions list"]).ReadLine("orch> ");
        return (line, terminal);
    }

    [Fact]
    public void Ctrl_U_kills_from_the_cursor_to_the_start_of_the_line()
    {
        Assert.Equal("list", Read(Type("sessions list"), Key(ConsoleKey.LeftArrow), Key(ConsoleKey.LeftArrow), Key(ConsoleKey.LeftArrow),
            Key(ConsoleKey.LeftArrow), Ctrl('U'), Enter).Line);
        Assert.Equal("cluster show", Read(Type("typo"), Ctrl('U'), Type("cluster show"), Enter).Line);
    }

    [Fact]
    public void Ctrl_A_and_Ctrl_E_move_to_the_start_and_the_end()
    {
        Assert.Equal("cluster show --json", Read(Type("luster show"), Ctrl('A'), Type("c"), Ctrl('E'), Type(" --json"), Enter).Line);
    }

    [Fact]
    public void Ctrl_W_deletes_the_previous_word_and_the_blanks_after_it()
    {
        Assert.Equal("sessions ", Read(Type("sessions list  "), Ctrl('W'), Enter).Line);
        Assert.Equal("sessions list", Read(Type("sessions tail list"), Key(ConsoleKey.LeftArrow), Key(ConsoleKey.LeftArrow),
            Key(ConsoleKey.LeftArrow), Key(ConsoleKey.LeftArrow), Ctrl('W'), Enter).Line);
    }

    [Fact]
    public void Ctrl_C_abandons_the_line_and_draws_a_fresh_prompt_as_bash_does()
    {
        var (line, terminal) = Read(Type("sessions tail s-1"), Ctrl('C'), Type("cluster show"), Enter);

        Assert.Equal("cluster show", line);
        Assert.Contains("^C\r\norch> ", terminal.Drawn.ToString());
        Assert.True(terminal.EveryKeyReadWhileEditing);
    }

    [Fact]
    public void Ctrl_D_ends_input_only_on_an_empty_line()
    {
        Assert.Null(Read(Ctrl('D')).Line);
        Assert.Equal("ab", Read(Type("abc"), Key(ConsoleKey.LeftArrow), Ctrl('D'), Enter).Line);
    }

    [Fact]
    public void The_earlier_keys_still_edit_and_recall_history()
    {
        Assert.Equal("cluster show", Read(Type("clusterx show"), Key(ConsoleKey.Home), Key(ConsoleKey.RightArrow), Key(ConsoleKey.RightArrow),
            Key(ConsoleKey.RightArrow), Key(ConsoleKey.RightArrow), Key(ConsoleKey.RightArrow), Key(ConsoleKey.RightArrow),
            Key(ConsoleKey.RightArrow), Key(ConsoleKey.RightArrow), Key(ConsoleKey.Backspace), Key(ConsoleKey.End), Enter).Line);
        Assert.Equal("cluster show ", Read(Type("clu"), Key(ConsoleKey.Tab, '\t'), Type("s"), Key(ConsoleKey.Backspace, '\b'), Enter).Line);

        var terminal = new ScriptedTerminal(Type("sessions list"), Enter, Type("x"), Key(ConsoleKey.Delete), Key(ConsoleKey.Backspace),
            Key(ConsoleKey.UpArrow), Enter);
        var editor = new LineEditor(terminal, ["cluster show"]);
        Assert.Equal("sessions list", editor.ReadLine("> "));
        Assert.Equal("sessions list", editor.ReadLine("> "));
    }
}
