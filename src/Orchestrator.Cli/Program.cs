using Orchestrator.Cli;
using Orchestrator.Cli.Client;
using Orchestrator.Cli.Shell;

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
var interrupts = new Interrupts();
if (rest.Count > 0)
{
    // Ctrl-C stops the command; a second press, while its cancellation is under way, ends orch as the terminal would.
    Console.CancelKeyPress += (_, e) => e.Cancel = interrupts.Interrupt();
    using var scope = interrupts.Begin(CancellationToken.None);
    return await commands.RunAsync(rest, scope.Token);
}
var editor = Console.IsInputRedirected ? null : new LineEditor(new SystemTerminal(), commands.Completion(new SessionIdCache(client).Current).Complete);
var shell = new InteractiveShell(commands, client, interrupts, Console.In, Console.Out, editor);
// The prompt always survives Ctrl-C: it stops the running command, or else draws a fresh prompt.
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    if (!interrupts.Interrupt())
        shell.Interrupted();
};
return await shell.RunAsync(CancellationToken.None);
