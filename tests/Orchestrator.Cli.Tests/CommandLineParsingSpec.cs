using Orchestrator.Cli.Client;
using Orchestrator.Cli.Shell;

namespace Orchestrator.Cli.Tests;

public sealed class CommandLineParsingSpec
{
    [Theory]
    [InlineData("127.0.0.1:9110", "127.0.0.1", 9110)]
    [InlineData("node-2.local:80", "node-2.local", 80)]
    [InlineData("[::1]:9110", "[::1]", 9110)]
    public void Host_and_port_are_recognised(string text, string host, int port)
    {
        Assert.True(NodeAddress.TryParse(text, out var address));
        Assert.Equal(new NodeAddress(host, port), address);
    }

    [Theory]
    [InlineData("cluster")]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("a b:1")]
    public void Commands_and_bad_ports_are_not_addresses(string text) => Assert.False(NodeAddress.TryParse(text, out _));

    [Fact]
    public void Typed_lines_split_on_whitespace_with_quotes_and_escapes()
    {
        Assert.Equal(["journal", "events", "session 42", "--max", "5"], CommandLineSplitter.Split("journal events 'session 42'  --max 5"));
        Assert.Equal(["a\"b", "c d"], CommandLineSplitter.Split("a\\\"b \"c d\""));
        Assert.Empty(CommandLineSplitter.Split("   "));
    }

    [Fact]
    public void Tab_completes_the_common_prefix_and_lists_candidates()
    {
        var editor = new LineEditor(new ScriptedTerminal(), ["cluster", "cluster show", "cluster leave", "config", "config show"]);

        Assert.Equal("cluster", editor.Completion("cl").Completed);
        var (completed, candidates) = editor.Completion("cluster ");
        Assert.Equal("cluster ", completed);
        Assert.Equal(["cluster show", "cluster leave"], candidates);
        Assert.Equal("config show", editor.Completion("config s").Completed);
        Assert.Empty(editor.Completion("x").Candidates);
    }
}
