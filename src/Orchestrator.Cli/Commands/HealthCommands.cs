using System.CommandLine;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>health</c>: whether the node is ready, and why not (its journal's database failing, its member not Up);
/// exit code 0 when ready, 1 when not, so that a script or a probe can act on it.</summary>
internal static class HealthCommands
{
    public static Command Create(Func<CliContext> context) =>
        new Command("health", "Show whether the node is ready and, when it is not, why").WithAction(context, async (ctx, _, ct) =>
        {
            var readiness = await ctx.Client.GetReadinessAsync(ct);
            if (ctx.Json)
                ctx.WriteJson(readiness.Json);
            else if (readiness.IsReady)
                ctx.Console.MarkupLine($"[green]Ready[/]: {Markup.Escape(readiness.Detail)}");
            else
                ctx.Console.MarkupLine($"[red]Not ready[/]: {Markup.Escape(readiness.Detail)}");
            return readiness.IsReady ? ExitCodes.Ok : ExitCodes.Failed;
        });
}
