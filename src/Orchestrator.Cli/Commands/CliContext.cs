using System.CommandLine;
using System.Text.Json;
using Orchestrator.Cli.Client;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary>What every command runs with: the node's client, the consoles for output and errors, and whether to print
/// JSON for scripts.</summary>
internal sealed record CliContext(NodeClient Client, IAnsiConsole Console, IAnsiConsole Errors, bool Json)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Prints <paramref name="value"/> as indented JSON (the <c>--json</c> output).</summary>
    public void WriteJson(JsonElement value) => Console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, Indented));
}

/// <summary>Binds a command to an action that gets a <see cref="CliContext"/> and maps failures to exit codes.</summary>
internal static class CommandActions
{
    /// <summary>The global <c>--json</c> option.</summary>
    public static readonly Option<bool> JsonOption = new("--json") { Description = "Print JSON for scripts instead of tables", Recursive = true };

    public static Command WithAction(this Command command, Func<CliContext> context, Func<CliContext, ParseResult, CancellationToken, Task> action) =>
        command.WithAction(context, async (ctx, parse, ct) =>
        {
            await action(ctx, parse, ct);
            return ExitCodes.Ok;
        });

    /// <summary>Binds an action that chooses its own exit code (a check that found problems, a session that failed).</summary>
    public static Command WithAction(this Command command, Func<CliContext> context, Func<CliContext, ParseResult, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parse, ct) =>
        {
            var ctx = context() with { Json = parse.GetValue(JsonOption) };
            try
            {
                return await action(ctx, parse, ct);
            }
            catch (NodeUnreachableException e)
            {
                ctx.Errors.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
                return ExitCodes.Unreachable;
            }
            catch (NodeProblemException e)
            {
                ctx.Errors.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
                return ExitCodes.Failed;
            }
        });
        return command;
    }
}
