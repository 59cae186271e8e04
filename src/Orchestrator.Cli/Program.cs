using Orchestrator.Cli;
using Orchestrator.Cli.Client;
using Orchestrator.Cli.Shell;
using Spectre.Console;

// orch [host:port] COMMAND ...   runs one command and exits (scripts, preStop hooks)
// orch [host:port]               an interactive prompt
var rest = args.ToList();
var address = NodeAddress.TryParse(Environment.GetEnvironmentVariable("ORCH_ADDRESS") ?? "", out var fromEnv) ? fromEnv : NodeAddress.Default;
if (rest.Count > 0 && NodeAddress.TryParse(rest[0], out var given))
{
    address = given;
    rest.RemoveAt(0);
}

using var client = new NodeClient(address, Environment.GetEnvironmentVariable("ORCH_API_TOKEN"));
var commands = new OrchCommandLine(client, Consoles.For(Console.Out, Console.IsOutputRedirected), Consoles.For(Console.Error, Console.IsErrorRedirected));
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return rest.Count > 0
    ? await commands.RunAsync(rest, cancel.Token)
    : await new InteractiveShell(commands, address, Console.In, Console.Out).RunAsync(cancel.Token);
