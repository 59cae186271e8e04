using Orchestrator.Cli.Shell;

namespace Orchestrator.Cli.Tests;

/// <summary>The "More:" line of <c>orch sessions list</c> is the next page's command, runnable as it is printed: this
/// node, the same filters and page size, and the cursor.</summary>
public sealed class SessionPagingSpec
{
    private static FakeNode PagedNode() => new(c =>
    {
        var query = c.Request.Url!.Query;
        var next = query.Contains("after=c2", StringComparison.Ordinal) ? "null" : "\"c2\"";
        return FakeNode.Json(c, $$"""
            {"sessions":[{"sessionId":"s-9","template":"my review","lifecycle":"completed","createdAt":"2026-11-23T10:00:00Z",
              "updatedAt":"2026-11-23T10:05:00Z","iteration":2,"bestScore":0.875,"endReason":"quality reached"}],"next":{{next}}}
            """);
    });

    private static string NextPage(string stdout) =>
        stdout.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("More: ", StringComparison.Ordinal))["More: ".Length..];

    [Fact]
    public async Task The_next_page_command_keeps_the_node_the_filters_and_the_limit()
    {
        await using var node = PagedNode();

        var (code, stdout, stderr) = await OrchProcess.Run(node.Address, "sessions", "list", "--status", "completed", "--template", "my review",
            "--limit", "1");

        Assert.True(code == 0, stdout + stderr);
        Assert.Equal($"orch {node.Address} sessions list --status completed --template 'my review' --limit 1 --after c2", NextPage(stdout));
    }

    [Fact]
    public async Task The_printed_command_runs_as_it_is_from_a_shell_and_at_the_prompt()
    {
        await using var node = PagedNode();
        var (_, first, _) = await OrchProcess.Run(node.Address, "sessions", "list", "--template", "my review", "--limit", "1");
        var printed = NextPage(first);

        // From a shell: the words a POSIX shell makes of it, less the program's name.
        var (code, second, stderr) = await OrchProcess.Run(CommandLineSplitter.Split(printed).Skip(1).ToArray());
        Assert.True(code == 0, second + stderr);
        Assert.Contains("GET /api/sessions?template=my%20review&limit=1&after=c2", node.Requests);
        Assert.DoesNotContain("More:", second);

        // At the prompt, pasted as it is.
        var (promptCode, prompt, promptErr) = await OrchProcess.RunWithInput(printed + "\nexit\n", node.Address);
        Assert.True(promptCode == 0, prompt + promptErr);
        Assert.Equal(2, node.Requests.Count(r => r == "GET /api/sessions?template=my%20review&limit=1&after=c2"));
    }
}
