using System.CommandLine;

namespace Orchestrator.Cli.Shell;

/// <summary>What tab completes at the interactive prompt: the word under the cursor at the end of the line, as a
/// subcommand of the command typed so far, an option of that command (a word starting with <c>-</c>), or a session id
/// for a <c>sessions</c> command's <c>id</c> argument (from <paramref name="sessionIds"/>). Each candidate is the whole
/// line completed with it, as <see cref="LineEditor"/> takes them.</summary>
public sealed class ShellCompletion(Command root, Func<IReadOnlyList<string>> sessionIds)
{
    /// <summary>The lines <paramref name="typed"/> may complete to.</summary>
    public IReadOnlyList<string> Complete(string typed)
    {
        var words = CommandLineSplitter.Split(typed).ToList();
        var current = typed.Length == 0 || char.IsWhiteSpace(typed[^1]) || words.Count == 0 ? "" : words[^1];
        if (current.Length > 0) words.RemoveAt(words.Count - 1);
        var head = typed[..^current.Length];
        var command = root;
        var path = new List<Command> { root };
        var positional = 0;
        foreach (var word in words)
        {
            if (command.Subcommands.FirstOrDefault(s => s.Name == word) is { } sub)
            {
                command = sub;
                path.Add(sub);
                positional = 0;
            }
            else if (!word.StartsWith('-')) positional++;
        }
        return Words(command, path, current, positional).Where(w => w.StartsWith(current, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(w => head + w).ToList();
    }

    private IEnumerable<string> Words(Command command, List<Command> path, string current, int positional)
    {
        if (current.StartsWith('-'))
            return command.Options.Concat(path.SkipLast(1).SelectMany(c => c.Options.Where(o => o.Recursive)))
                .SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith('-'));
        if (command.Subcommands.Count > 0 && positional == 0)
            return command.Subcommands.Select(s => s.Name);
        return IsSessionCommand(path) && command.Arguments.FirstOrDefault()?.Name == "id" && positional == 0 ? sessionIds() : [];
    }

    private static bool IsSessionCommand(List<Command> path) => path.Count > 1 && path[1].Name == "sessions";
}
