using System.CommandLine;

namespace Orchestrator.Cli;

/// <summary>The usage printed under a wrong command line: the command's synopsis and where its options are described.</summary>
public static class UsageError
{
    /// <summary>Two lines for <paramref name="command"/>: <c>Usage: orch sessions show &lt;id&gt; [options]</c> and the
    /// <c>--help</c> to run for more.</summary>
    public static string Usage(Command command)
    {
        var names = new List<string>();
        for (var c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
            names.Insert(0, c is RootCommand ? "orch" : c.Name);
        var path = string.Join(' ', names);
        var synopsis = path;
        if (command.Subcommands.Count > 0)
            synopsis += " COMMAND";
        foreach (var argument in command.Arguments.Where(a => !a.Hidden))
            synopsis += $" <{argument.HelpName ?? argument.Name}>";
        // --help and --json apply to every command.
        synopsis += " [options]";
        return $"Usage: {synopsis}{Environment.NewLine}Run '{path} --help' for what it takes.";
    }
}
