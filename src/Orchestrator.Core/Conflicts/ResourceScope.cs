namespace Orchestrator.Core.Conflicts;

/// <summary>A resource a task declares it touches, written <c>kind:value</c>: <c>file:src/a.cs</c> (a file),
/// <c>file:src/</c> (a directory and everything under it), <c>file:src/**/*.cs</c> (a glob: <c>*</c> and <c>?</c> within
/// one path segment, <c>**</c> across segments), <c>key:orders/42</c> (a key; a trailing <c>*</c> makes a prefix).
/// Two scopes of different kinds never overlap. Overlap is conservative: where two globs could match a common path
/// they are taken to overlap, so a conflict may be reported that never happens, but never the other way round.</summary>
public sealed record ResourceScope(string Kind, string Value)
{
    /// <summary>The kind of file scopes, compared as paths.</summary>
    public const string FileKind = "file";

    /// <summary>The kind of key scopes, compared as strings.</summary>
    public const string KeyKind = "key";

    /// <summary>Reads <c>kind:value</c>; null with a reason when it has no kind, an empty value, or a path that leaves its
    /// root (<c>..</c>).</summary>
    public static ResourceScope? TryParse(string text, out string? problem)
    {
        problem = null;
        var colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            problem = $"resource '{text}' must be written kind:value, e.g. file:src/a.cs or key:orders";
            return null;
        }
        var kind = text[..colon].Trim().ToLowerInvariant();
        var value = text[(colon + 1)..].Trim();
        if (kind.Length == 0 || !kind.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
        {
            problem = $"resource '{text}': the kind '{kind}' must be lower-case letters, digits or '-'";
            return null;
        }
        if (value.Length == 0)
        {
            problem = $"resource '{text}' has an empty value";
            return null;
        }
        if (kind == FileKind)
        {
            value = NormalizePath(value);
            if (value.Split('/').Contains(".."))
            {
                problem = $"resource '{text}': a path may not contain '..'";
                return null;
            }
        }
        return new ResourceScope(kind, value);
    }

    /// <summary>Reads <c>kind:value</c> or throws <see cref="FormatException"/> with the reason.</summary>
    public static ResourceScope Parse(string text) =>
        TryParse(text, out var problem) ?? throw new FormatException(problem);

    /// <summary>Reads a scope; a string that is not <c>kind:value</c> stands for itself as an opaque key (exact match
    /// only), so a malformed declaration still serializes the tasks that share it.</summary>
    public static ResourceScope Lenient(string text) => TryParse(text, out _) ?? new ResourceScope("opaque", text);

    /// <summary>Whether a task holding this scope and one holding <paramref name="other"/> may touch the same thing.</summary>
    public bool Overlaps(ResourceScope other)
    {
        if (!string.Equals(Kind, other.Kind, StringComparison.Ordinal)) return false;
        return Kind == FileKind ? PathsOverlap(Value, other.Value) : KeysOverlap(Value, other.Value);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind}:{Value}";

    private static bool KeysOverlap(string a, string b)
    {
        var aPrefix = a.EndsWith('*');
        var bPrefix = b.EndsWith('*');
        if (!aPrefix && !bPrefix) return string.Equals(a, b, StringComparison.Ordinal);
        var pa = aPrefix ? a[..^1] : a;
        var pb = bPrefix ? b[..^1] : b;
        if (aPrefix && bPrefix) return pa.StartsWith(pb, StringComparison.Ordinal) || pb.StartsWith(pa, StringComparison.Ordinal);
        return aPrefix ? b.StartsWith(pa, StringComparison.Ordinal) : a.StartsWith(pb, StringComparison.Ordinal);
    }

    private static bool PathsOverlap(string a, string b)
    {
        var aGlob = IsGlob(a);
        var bGlob = IsGlob(b);
        if (!aGlob && !bGlob)
        {
            if (string.Equals(a, b, StringComparison.Ordinal)) return true;
            return IsDirectory(a) && b.StartsWith(a, StringComparison.Ordinal)
                   || IsDirectory(b) && a.StartsWith(b, StringComparison.Ordinal);
        }
        if (aGlob && bGlob) return LiteralPrefixesOverlap(a, b);
        var (glob, path) = aGlob ? (a, b) : (b, a);
        if (IsDirectory(path))
        {
            // A directory overlaps a glob when the glob may match something under it, or it lies under the glob's base.
            var prefix = LiteralPrefix(glob);
            return prefix.StartsWith(path, StringComparison.Ordinal) || path.StartsWith(prefix, StringComparison.Ordinal);
        }
        return GlobMatches(glob, path);
    }

    private static bool LiteralPrefixesOverlap(string a, string b)
    {
        var pa = LiteralPrefix(a);
        var pb = LiteralPrefix(b);
        return pa.StartsWith(pb, StringComparison.Ordinal) || pb.StartsWith(pa, StringComparison.Ordinal);
    }

    /// <summary>The path up to the first wildcard.</summary>
    private static string LiteralPrefix(string glob)
    {
        var i = glob.IndexOfAny(['*', '?']);
        return i < 0 ? glob : glob[..i];
    }

    private static bool IsGlob(string path) => path.IndexOfAny(['*', '?']) >= 0;

    private static bool IsDirectory(string path) => path.EndsWith('/');

    private static string NormalizePath(string path)
    {
        var p = path.Replace('\\', '/');
        while (p.Contains("//", StringComparison.Ordinal)) p = p.Replace("//", "/", StringComparison.Ordinal);
        while (p.StartsWith("./", StringComparison.Ordinal)) p = p[2..];
        p = p.Replace("/./", "/", StringComparison.Ordinal);
        return p.TrimStart('/').Length == 0 ? "/" : p;
    }

    /// <summary>Glob matching by segments: <c>*</c> and <c>?</c> stay within a segment, <c>**</c> spans any number of them.</summary>
    internal static bool GlobMatches(string glob, string path)
    {
        var g = glob.Split('/');
        var p = path.Split('/');
        return MatchSegments(g, 0, p, 0);
    }

    private static bool MatchSegments(string[] g, int gi, string[] p, int pi)
    {
        while (gi < g.Length)
        {
            if (g[gi] == "**")
            {
                for (var skip = pi; skip <= p.Length; skip++)
                    if (MatchSegments(g, gi + 1, p, skip)) return true;
                return false;
            }
            if (pi >= p.Length || !MatchSegment(g[gi], p[pi])) return false;
            gi++;
            pi++;
        }
        return pi == p.Length;
    }

    private static bool MatchSegment(string pattern, string text)
    {
        int pi = 0, ti = 0, star = -1, mark = 0;
        while (ti < text.Length)
        {
            if (pi < pattern.Length && (pattern[pi] == '?' || pattern[pi] == text[ti])) { pi++; ti++; }
            else if (pi < pattern.Length && pattern[pi] == '*') { star = pi++; mark = ti; }
            else if (star >= 0) { pi = star + 1; ti = ++mark; }
            else return false;
        }
        while (pi < pattern.Length && pattern[pi] == '*') pi++;
        return pi == pattern.Length;
    }
}
