using Orchestrator.Cli.Client;

namespace Orchestrator.Cli.Tests;

/// <summary><c>orch</c>'s command tree run in the test's process against a node address, its output and errors written
/// as to a pipe (no colours, no terminal).</summary>
internal static class InProcessOrch
{
    public static async Task<(int ExitCode, string Out, string Err)> Run(string address, params string[] args)
    {
        Assert.True(NodeAddress.TryParse(address, out var node));
        using var client = new NodeClient(node, token: null);
        var output = new StringWriter();
        var errors = new StringWriter();
        var commands = new OrchCommandLine(client, Consoles.For(output, redirected: true), Consoles.For(errors, redirected: true));
        var code = await commands.RunAsync(args, CancellationToken.None);
        return (code, output.ToString(), errors.ToString());
    }
}
