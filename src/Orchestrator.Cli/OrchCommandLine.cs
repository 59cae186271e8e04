using System.CommandLine;
using Orchestrator.Cli.Client;
using Orchestrator.Cli.Commands;
using Orchestrator.Cli.Shell;
using Spectre.Console;

namespace Orchestrator.Cli;

/// <summary>The command tree of <c>orch</c>, shared by one-shot runs and the interactive prompt.</summary>
public sealed class OrchCommandLine
{
    private readonly RootCommand _root;
    private readonly IAnsiConsole _errors;
    private readonly InvocationConfiguration _invocation;

    /// <summary>Commands that talk to <paramref name="client"/>, print to <paramref name="console"/> and report errors
    /// to <paramref name="errors"/>.</summary>
    public OrchCommandLine(NodeClient client, IAnsiConsole console, IAnsiConsole errors)
    {
        Func<CliContext> context = () => new CliContext(client, console, errors, Json: false);
        _errors = errors;
        // Help goes where the command's output goes; Ctrl-C is the caller's (see Interrupts), not System.CommandLine's.
        _invocation = new InvocationConfiguration
        {
            Output = console.Profile.Out.Writer,
            Error = errors.Profile.Out.Writer,
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        _root = new RootCommand("orch: inspect and drive an Orchestrator node. Usage: orch [host:port] COMMAND")
        {
            CommandActions.JsonOption,
            HealthCommands.Create(context),
            ClusterCommands.Create(context),
            ActorCommands.Create(context),
            JournalCommands.Create(context),
            ConfigCommands.Create(context),
            ShardingCommands.Create(context),
            ModelCommands.Create(context),
            TemplateCommands.Create(context),
            AgentCommands.Create(context),
            CouncilCommands.Create(context),
            LessonCommands.Create(context),
        };
        foreach (var command in SessionCommands.Create(context))
            _root.Subcommands.Add(command);
    }

    /// <summary>The names of every command path (<c>cluster show</c>, ...), for completion.</summary>
    public IReadOnlyList<string> CommandPaths => Paths(_root, "").ToList();

    /// <summary>Tab completion of command names, option names and session ids (from <paramref name="sessionIds"/>).</summary>
    public ShellCompletion Completion(Func<IReadOnlyList<string>> sessionIds) => new(_root, sessionIds);

    /// <summary>Runs one command line and returns its exit code: a wrong command line prints each problem on one line
    /// and the command's usage (exit 2); a command stopped by <paramref name="cancellationToken"/> exits 130.</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parse = _root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                _errors.MarkupLine($"[red]{Markup.Escape(OneLine(error.Message))}[/]");
            _errors.WriteLine(UsageError.Usage(parse.CommandResult.Command));
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(_invocation, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _errors.MarkupLine("[yellow]Interrupted.[/]");
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            // Bad input never crashes orch: what went wrong, in one line, and a failure exit code.
            _errors.MarkupLine($"[red]{Markup.Escape(OneLine($"{e.GetType().Name}: {e.Message}"))}[/]");
            return ExitCodes.Failed;
        }
    }

    private static string OneLine(string text) =>
        string.Join("; ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static IEnumerable<string> Paths(Command command, string prefix)
    {
        foreach (var sub in command.Subcommands)
        {
            var path = prefix.Length == 0 ? sub.Name : $"{prefix} {sub.Name}";
            yield return path;
            foreach (var deeper in Paths(sub, path))
                yield return deeper;
        }
    }
}
