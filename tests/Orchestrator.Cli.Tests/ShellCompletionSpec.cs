using Orchestrator.Cli.Client;
using Orchestrator.Cli.Shell;
using Orchestrator.Testing;
using static Orchestrator.Cli.Tests.ScriptedTerminal;

namespace Orchestrator.Cli.Tests;

/// <summary>Tab at the interactive prompt, fed key sequences: command names, the current command's options, session
/// ids from the node's list (cached briefly), two tabs listing the candidates of an ambiguous prefix, and a node that
/// does not answer giving no completion and no error.</summary>
public sealed class ShellCompletionSpec
{
    private static readonly IEnumerable<ConsoleKeyInfo> Tab = Key(ConsoleKey.Tab, '\t');

    private const string Sessions = """
        {"sessions":[
          {"sessionId":"review-alpha","template":"t","lifecycle":"running","iteration":1,"createdAt":"2026-12-06T10:00:00Z","updatedAt":"2026-12-06T10:00:00Z"},
          {"sessionId":"review-beta","template":"t","lifecycle":"completed","iteration":1,"createdAt":"2026-12-06T10:00:00Z","updatedAt":"2026-12-06T10:00:00Z"}
        ],"next":null}
        """;

    private static (string? Line, ScriptedTerminal Terminal) Read(string address, params IEnumerable<ConsoleKeyInfo>[] keys)
    {
        Assert.True(NodeAddress.TryParse(address, out var node));
        using var client = new NodeClient(node, token: null);
        var commands = new OrchCommandLine(client, Consoles.For(new StringWriter(), redirected: true), Consoles.For(new StringWriter(), redirected: true));
        var terminal = new ScriptedTerminal(keys);
        // The shell asks for at most 1 s; a first request on a loaded machine (a cold HTTP stack) can take longer, and
        // what these specs check is what tab does with the node's answer, so they wait for it.
        var ids = new SessionIdCache(client, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
        var line = new LineEditor(terminal, commands.Completion(ids.Current).Complete).ReadLine("orch> ");
        return (line, terminal);
    }

    [Fact]
    public async Task Tab_completes_command_names_and_the_current_command_s_options()
    {
        await using var node = new FakeNode(c => FakeNode.Json(c, Sessions));

        Assert.Equal("sessions list ", Read(node.Address, Type("sess"), Tab, Type("li"), Tab, Enter).Line);
        Assert.Equal("sessions list --template ", Read(node.Address, Type("sessions list --tem"), Tab, Enter).Line);
    }

    [Fact]
    public async Task Tab_completes_the_answer_command_and_its_options()
    {
        await using var node = new FakeNode(c => FakeNode.Json(c, Sessions));

        Assert.Equal("sessions answer ", Read(node.Address, Type("sessions ans"), Tab, Enter).Line);
        Assert.Equal("sessions answer review-alpha ", Read(node.Address, Type("sessions answer review-a"), Tab, Enter).Line);
        Assert.Equal("sessions answer review-alpha approval --approve ", Read(node.Address, Type("sessions answer review-alpha approval --app"), Tab, Enter).Line);
        var options = Read(node.Address, Type("sessions answer review-alpha approval --"), Tab, Tab, Enter).Terminal.Drawn.ToString();
        Assert.Contains("--reject", options);
        Assert.Contains("--value", options);
    }

    [Fact]
    public async Task Tab_completes_session_ids_from_the_node_s_list_asked_once_while_cached()
    {
        await using var node = new FakeNode(c => FakeNode.Json(c, Sessions));

        var (line, _) = Read(node.Address, Type("sessions show rev"), Tab, Tab, Type("a"), Tab, Enter);

        Assert.Equal("sessions show review-alpha ", line);
        Assert.Equal(["GET /api/sessions?limit=100"], node.Requests); // three tabs, one request
    }

    [Fact]
    public async Task Two_tabs_on_an_ambiguous_prefix_list_the_candidates_and_one_does_not()
    {
        await using var node = new FakeNode(c => FakeNode.Json(c, Sessions));

        var (once, drawnOnce) = Read(node.Address, Type("sessions show rev"), Tab, Enter);
        Assert.Equal("sessions show review-", once);
        Assert.DoesNotContain("review-alpha   review-beta", drawnOnce.Drawn.ToString());

        var (twice, drawn) = Read(node.Address, Type("sessions show review-"), Tab, Tab, Enter);
        Assert.Equal("sessions show review-", twice);
        Assert.Contains("\r\nreview-alpha   review-beta\r\norch> ", drawn.Drawn.ToString());
        var options = Read(node.Address, Type("sessions list --"), Tab, Tab, Enter).Terminal.Drawn.ToString();
        Assert.Contains("--status", options);
        Assert.Contains("--limit", options);
    }

    [Fact]
    public void A_node_that_does_not_answer_gives_no_completion_and_no_error()
    {
        var (line, terminal) = Read($"127.0.0.1:{FreePort.Next()}", Type("sessions show rev"), Tab, Tab, Enter);

        Assert.Equal("sessions show rev", line);
        Assert.Equal("orch> sessions show rev", terminal.Drawn.ToString().Split('\r', '\n').Last(l => l.Length > 0).Replace("\u001b[K", ""));
    }
}
