namespace Orchestrator.Core.Lessons;

/// <summary>Splits text into index terms: runs of letters and digits, lower-cased, at least two characters, at most
/// 40, common English words left out. A task kind becomes one extra term of its own (<see cref="KindTerm"/>), so that
/// lessons of the same kind rank first without excluding others.</summary>
internal static class LessonTokenizer
{
    private const int MaxTermLength = 40;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "if", "in", "into", "is", "it",
        "its", "no", "not", "of", "on", "or", "so", "such", "that", "the", "their", "then", "there", "these", "they", "this",
        "to", "was", "were", "will", "with", "you", "your", "we", "our", "can", "do", "does", "than", "which", "who", "all",
    };

    /// <summary>The term that stands for a task kind.</summary>
    internal static string KindTerm(string kind) => "\u0001kind:" + kind.Trim().ToLowerInvariant();

    /// <summary>Calls <paramref name="term"/> with each term of <paramref name="text"/>, in order.</summary>
    internal static void Tokens(string text, Action<string> term)
    {
        Span<char> buffer = stackalloc char[MaxTermLength];
        var length = 0;
        var overflow = false;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                if (length < MaxTermLength) buffer[length++] = char.ToLowerInvariant(c);
                else overflow = true;
                continue;
            }
            if (length >= 2 && !overflow)
            {
                var token = new string(buffer[..length]);
                if (!StopWords.Contains(token)) term(token);
            }
            length = 0;
            overflow = false;
        }
    }

    /// <summary>The terms of <paramref name="text"/> as a list.</summary>
    internal static List<string> Tokens(string text)
    {
        var terms = new List<string>();
        Tokens(text, terms.Add);
        return terms;
    }
}
