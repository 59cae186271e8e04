using Orchestrator.Cli.Client;

namespace Orchestrator.Cli.Shell;

/// <summary>pbm's interactive mode: a <c>[host:port] orch&gt;</c> prompt that runs commands until <c>exit</c>,
/// with history and tab completion on a terminal, and plain line reading when input is piped.</summary>
public sealed class InteractiveShell(OrchCommandLine commands, NodeAddress address, TextReader input, TextWriter output)
{
    /// <summary>Runs until <c>exit</c>, <c>quit</c> or end of input; returns the last command's exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var prompt = $"[{address}] orch> ";
        var editor = Console.IsInputRedirected ? null : new LineEditor(commands.CommandPaths);
        var last = ExitCodes.Ok;
        output.WriteLine($"Connected to {address}. Type 'help' for commands, 'exit' to leave.");
        while (!cancellationToken.IsCancellationRequested)
        {
            string? line;
            if (editor is null)
            {
                output.Write(prompt);
                line = await input.ReadLineAsync(cancellationToken);
            }
            else
            {
                line = editor.ReadLine(prompt);
            }
            if (line is null)
                break;
            var args = CommandLineSplitter.Split(line);
            if (args.Count == 0)
                continue;
            if (args[0] is "exit" or "quit")
                break;
            if (args[0] == "help")
                args = ["--help"];
            last = await commands.RunAsync(args, cancellationToken);
        }
        return last;
    }
}
