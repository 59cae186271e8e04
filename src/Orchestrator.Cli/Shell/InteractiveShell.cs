using System.Globalization;
using Orchestrator.Cli.Client;

namespace Orchestrator.Cli.Shell;

/// <summary>pbm's interactive mode: a <c>[host:port] orch&gt;</c> prompt that runs commands until <c>exit</c>, with a
/// <see cref="LineEditor"/> on a terminal and plain line reading when input is piped. Ctrl-C stops the command running
/// (through <see cref="Interrupts"/>) and the prompt goes on.</summary>
public sealed class InteractiveShell(OrchCommandLine commands, NodeClient client, Interrupts interrupts, TextReader input, TextWriter output,
    LineEditor? editor)
{
    /// <summary>How long the greeting waits to learn whether the node answers.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>A Ctrl-C while no command runs and input is piped: as bash, <c>^C</c> and a fresh prompt (on a terminal
    /// the <see cref="LineEditor"/> reads Ctrl-C as a key instead).</summary>
    public void Interrupted()
    {
        output.Write($"^C{Environment.NewLine}[{client.Address}] orch> ");
        output.Flush();
    }

    /// <summary>Runs until <c>exit [N]</c> or <c>quit</c> (exit code N, 0 when absent) or the end of input (the last
    /// command's exit code, as a shell's script ends).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var address = client.Address;
        var prompt = $"[{address}] orch> ";
        var last = ExitCodes.Ok;
        var problem = await client.ProbeAsync(ProbeTimeout, cancellationToken);
        output.WriteLine(problem is null
            ? $"Connected to {address}. Type 'help' for commands, 'exit' to leave."
            : $"{NodeUnreachableException.Describe(address, problem)}{Environment.NewLine}Commands fail until it answers. Type 'help' for commands, 'exit' to leave.");
        while (!cancellationToken.IsCancellationRequested)
        {
            string? line;
            if (editor is null)
            {
                output.Write(prompt);
                output.Flush();
                line = await input.ReadLineAsync(cancellationToken);
            }
            else
            {
                line = editor.ReadLine(prompt);
            }
            if (line is null)
                break;
            var args = CommandLineSplitter.Split(line).ToList();
            // A command copied from orch's own output ("orch 127.0.0.1:9110 sessions list ...") runs as typed here.
            if (args.Count > 0 && args[0] == "orch")
                args.RemoveAt(0);
            if (args.Count > 0 && NodeAddress.TryParse(args[0], out var named) && named == address)
                args.RemoveAt(0);
            if (args.Count == 0)
                continue;
            if (args[0] is "exit" or "quit")
            {
                if (args.Count == 1)
                    return ExitCodes.Ok;
                if (int.TryParse(args[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
                    return code;
                output.WriteLine($"{args[0]} takes a number (the exit code), not '{args[1]}'.");
                last = ExitCodes.Usage;
                continue;
            }
            if (args[0] == "help")
                args = ["--help"];
            using var scope = interrupts.Begin(cancellationToken);
            last = await commands.RunAsync(args, scope.Token);
        }
        return last;
    }
}
