using System.Text;

namespace Orchestrator.Core.Protocol;

/// <summary>Repairs the JSON mistakes models make: trailing commas, single-quoted strings, and an object cut off
/// before its strings and brackets close. Reads from the first <c>{</c> to where that object closes.</summary>
internal static class JsonRepair
{
    /// <summary>The repaired text and what was repaired, or null when <paramref name="text"/> has no <c>{</c>.</summary>
    internal static (string Json, IReadOnlyList<string> Repairs)? Repair(string text)
    {
        var start = text.IndexOf('{');
        if (start < 0) return null;
        var sb = new StringBuilder(text.Length - start + 8);
        var closers = new Stack<char>();
        var repairs = new SortedSet<string>(StringComparer.Ordinal);
        char quote = '\0'; // '\0' outside strings, '"' or '\'' inside
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\' && i + 1 < text.Length)
                {
                    var next = text[++i];
                    if (quote == '\'' && next == '\'') sb.Append('\'');
                    else sb.Append(c).Append(next);
                }
                else if (c == quote)
                {
                    sb.Append('"');
                    quote = '\0';
                }
                else if (c == '"') sb.Append("\\\"");
                else if (c == '\n') sb.Append("\\n");
                else sb.Append(c);
                continue;
            }
            switch (c)
            {
                case '"':
                    quote = '"';
                    sb.Append('"');
                    break;
                case '\'':
                    quote = '\'';
                    repairs.Add("single quotes");
                    sb.Append('"');
                    break;
                case '{':
                    closers.Push('}');
                    sb.Append(c);
                    break;
                case '[':
                    closers.Push(']');
                    sb.Append(c);
                    break;
                case '}' or ']':
                    if (DropTrailingComma(sb)) repairs.Add("trailing commas");
                    sb.Append(c);
                    if (closers.Count > 0 && closers.Peek() == c) closers.Pop();
                    if (closers.Count == 0) return (sb.ToString(), repairs.ToList());
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        if (quote != '\0')
        {
            sb.Append('"');
            repairs.Add("unclosed string");
        }
        if (DropTrailingComma(sb)) repairs.Add("trailing commas");
        if (closers.Count > 0)
        {
            repairs.Add($"{closers.Count} unclosed bracket{(closers.Count == 1 ? "" : "s")}");
            while (closers.Count > 0)
            {
                if (DropTrailingComma(sb)) repairs.Add("trailing commas");
                sb.Append(closers.Pop());
            }
        }
        return (sb.ToString(), repairs.ToList());
    }

    private static bool DropTrailingComma(StringBuilder sb)
    {
        var i = sb.Length - 1;
        while (i >= 0 && char.IsWhiteSpace(sb[i])) i--;
        if (i < 0 || sb[i] != ',') return false;
        sb.Remove(i, 1);
        return true;
    }
}
