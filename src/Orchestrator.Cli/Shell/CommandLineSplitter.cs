using System.Text;

namespace Orchestrator.Cli.Shell;

/// <summary>Splits a typed line into arguments: whitespace separates, single or double quotes group, backslash escapes.</summary>
public static class CommandLineSplitter
{
    /// <summary>The arguments of <paramref name="line"/>.</summary>
    public static IReadOnlyList<string> Split(string line)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var inArgument = false;
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                current.Append(line[++i]);
                inArgument = true;
            }
            else if (quote is not null)
            {
                if (c == quote) quote = null;
                else current.Append(c);
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inArgument = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inArgument) args.Add(current.ToString());
                current.Clear();
                inArgument = false;
            }
            else
            {
                current.Append(c);
                inArgument = true;
            }
        }
        if (inArgument) args.Add(current.ToString());
        return args;
    }
}
