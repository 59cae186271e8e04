using System.Text;

namespace Orchestrator.Engine.Workflows;

/// <summary>The line where each key path of a HOCON text is first written (<c>workflow.nodes.structure</c> → 12).
/// Akka's HOCON parser keeps no positions, so a light scan of the same text gives template problems their line.</summary>
internal sealed class HoconLineIndex
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    /// <summary>The line of the first '{' or '[' still open at the end of the text (Akka's parser accepts it), or null.</summary>
    internal int? UnclosedAt { get; private set; }

    /// <summary>The line of the first '}' that closes a '[' or ']' that closes a '{' (Akka's parser may never return on it), or null.</summary>
    internal int? MismatchAt { get; private set; }

    /// <summary>The line of the first '$' outside quotes that does not start a <c>${substitution}</c>: HOCON forbids it
    /// there, and Akka's parser never returns on it. Null when there is none.</summary>
    internal int? StrayDollarAt { get; private set; }

    /// <summary>The line of the first <c>${substitution}</c> outside quotes, or null. Akka resolves one it cannot find in
    /// the text from the process's environment, so text from outside the node must not have any.</summary>
    internal int? SubstitutionAt { get; private set; }

    /// <summary>The line of the first '=' or ':' with no key before it, or inside a list (Akka's parser never returns
    /// on it either), or null.</summary>
    internal int? StraySeparatorAt { get; private set; }

    private HoconLineIndex() { }

    /// <summary>The 1-based line of <paramref name="path"/>, or of its nearest parent that was found, or 1.</summary>
    internal int LineOf(string path)
    {
        for (var p = path; p.Length > 0; p = p.Contains('.') ? p[..p.LastIndexOf('.')] : "")
            if (_lines.TryGetValue(p, out var line)) return line;
        return 1;
    }

    internal static HoconLineIndex Scan(string text)
    {
        var index = new HoconLineIndex();
        var stack = new List<string?>(); // a key per open object, null per open array
        var openedAt = new List<int>();
        var line = 1;
        var expectKey = true;
        string? lastKey = null;
        var i = 0;

        string CurrentPath(string key) =>
            string.Join('.', stack.Where(s => s is not null).Append(key).Where(s => s!.Length > 0));

        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n') { line++; i++; if (!InArray()) expectKey = true; continue; }
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                while (i < text.Length && text[i] != '\n') i++;
                continue;
            }
            if (string.CompareOrdinal(text, i, "\"\"\"", 0, 3) == 0)
            {
                var end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end + 3;
                line += text.AsSpan(i, end - i).Count('\n');
                i = end;
                expectKey = false;
                continue;
            }
            switch (c)
            {
                case '{':
                    openedAt.Add(line);
                    stack.Add(lastKey ?? "");
                    lastKey = null;
                    expectKey = true;
                    i++;
                    continue;
                case '[':
                    openedAt.Add(line);
                    stack.Add(null);
                    expectKey = false;
                    i++;
                    continue;
                case '}' or ']':
                    if (stack.Count > 0 && (stack[^1] is null) != (c == ']')) index.MismatchAt ??= line;
                    if (stack.Count > 0)
                    {
                        stack.RemoveAt(stack.Count - 1);
                        openedAt.RemoveAt(openedAt.Count - 1);
                    }
                    expectKey = !InArray();
                    lastKey = null;
                    i++;
                    continue;
                case ',':
                    expectKey = !InArray();
                    i++;
                    continue;
                case '=' or ':':
                    if (expectKey || InArray()) index.StraySeparatorAt ??= line;
                    expectKey = false;
                    i++;
                    continue;
            }
            var quoted = text[i] == '"';
            var tokenStart = i;
            var token = ReadToken(text, ref i);
            if (!quoted)
                for (var d = tokenStart; d < i; d++)
                    if (text[d] == '$')
                    {
                        if (d + 1 >= text.Length || text[d + 1] != '{') index.StrayDollarAt ??= line;
                        else index.SubstitutionAt ??= line;
                    }
            if (expectKey && !InArray())
            {
                var path = CurrentPath(token);
                index._lines.TryAdd(path, line);
                // a.b.c = 1 also places a and a.b
                for (var p = path; p.Contains('.'); p = p[..p.LastIndexOf('.')]) index._lines.TryAdd(p[..p.LastIndexOf('.')], line);
                lastKey = token;
                expectKey = false;
            }
        }
        if (openedAt.Count > 0) index.UnclosedAt = openedAt[^1];
        return index;

        bool InArray() => stack.Count > 0 && stack[^1] is null;
    }

    private static string ReadToken(string text, ref int i)
    {
        var sb = new StringBuilder();
        if (text[i] == '"')
        {
            i++;
            while (i < text.Length && text[i] != '"' && text[i] != '\n')
            {
                if (text[i] == '\\' && i + 1 < text.Length) i++;
                sb.Append(text[i++]);
            }
            if (i < text.Length && text[i] == '"') i++;
            return sb.ToString();
        }
        while (i < text.Length && !char.IsWhiteSpace(text[i]) && "{}[]=:,#\"".IndexOf(text[i]) < 0) sb.Append(text[i++]);
        if (sb.Length == 0) i++; // a character no rule took: step over it
        return sb.ToString();
    }
}
