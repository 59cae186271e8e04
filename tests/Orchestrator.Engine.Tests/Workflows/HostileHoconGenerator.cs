using System.Text;

namespace Orchestrator.Engine.Tests.Workflows;

/// <summary>Random and adversarial HOCON and JSON texts from a seeded <see cref="Random"/>: deep nesting of '[' and '{',
/// long and unterminated strings, unicode and control characters, unterminated comments, token and byte soup, and
/// random JSON. The same seed gives the same texts.</summary>
internal sealed class HostileHoconGenerator(int seed, string sample)
{
    /// <summary>The seed of a fuzz spec's rounds; set ORCH_FUZZ_SEED to replay another.</summary>
    internal static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("ORCH_FUZZ_SEED"), out var s) ? s : 23_023;

    /// <summary>The kinds of text, one per round in turn.</summary>
    internal static readonly string[] Kinds =
        ["deep-lists", "deep-objects", "deep-mixed", "long-string", "triple-quoted", "unicode", "control", "comments", "bytes", "json", "tokens", "damaged-sample"];

    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", "=", ":", ",", "+=", "$", "${", "${?HOME}", "}", "\"", "\"\"\"", "\n", " ", "\t", "#", "//", "/*", "*/",
        "include", "include \"x.conf\"", "file(\"/etc/passwd\")", "workflow", "nodes", "name", "role", "prompt", "a.b.c", "\\", "10s", "true", "null",
        "-1e309", "\"\\u0000\"", "\r\n",
    ];

    private readonly Random _random = new(seed);

    /// <summary>The text of <paramref name="kind"/> for the next round.</summary>
    internal string Next(string kind) => kind switch
    {
        "deep-lists" => Around(Nest("[", "]", _random.Next(40, 40_000))),
        "deep-objects" => Around(Nest("{ a ", "}", _random.Next(40, 20_000))),
        "deep-mixed" => Around(Mixed(_random.Next(40, 20_000))),
        "long-string" => Around("\"" + Chars(_random.Next(1_000, 300_000), 'a', 'z') + (_random.Next(2) == 0 ? "\"" : "")),
        "triple-quoted" => Around("\"\"\"" + Chars(_random.Next(10, 50_000), ' ', '~') + (_random.Next(2) == 0 ? "\"\"\"" : "\"\"")),
        "unicode" => Unicode(_random.Next(1, 20_000)),
        "control" => Control(_random.Next(1, 5_000)),
        "comments" => Comments(),
        "bytes" => Bytes(_random.Next(1, 20_000)),
        "json" => JsonDocument(),
        "tokens" => TokenSoup(_random.Next(1, 3_000)),
        "damaged-sample" => Damaged(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private string Around(string value) => _random.Next(3) switch
    {
        0 => value,
        1 => "workflow {\n  name = fuzz\n  x = " + value + "\n}\n",
        _ => "workflow { nodes { a { role = r, prompt = " + value + " } } }",
    };

    private static string Nest(string open, string close, int depth)
    {
        var sb = new StringBuilder(depth * (open.Length + close.Length));
        for (var i = 0; i < depth; i++) sb.Append(open);
        for (var i = 0; i < depth; i++) sb.Append(close);
        return sb.ToString();
    }

    private string Mixed(int depth)
    {
        var closers = new Stack<char>();
        var sb = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            var list = _random.Next(2) == 0;
            sb.Append(list ? "[" : "{ k = ");
            closers.Push(list ? ']' : '}');
        }
        var keep = _random.Next(closers.Count + 1); // sometimes unclosed, sometimes all closed
        while (closers.Count > 0 && keep-- >= 0) sb.Append(closers.Pop());
        return sb.ToString();
    }

    private string Chars(int length, char from, char to)
    {
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++) sb.Append((char)_random.Next(from, to + 1));
        return sb.ToString();
    }

    private string Unicode(int length)
    {
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
            sb.Append(_random.Next(6) switch
            {
                0 => (char)_random.Next(0xD800, 0xE000), // a lone surrogate half
                1 => "\u202E\u200B\uFEFF\u00A0\u2028"[_random.Next(5)],
                2 => char.ConvertFromUtf32(_random.Next(0x1F300, 0x1FAFF)),
                3 => Tokens[_random.Next(Tokens.Length)],
                _ => (char)_random.Next(0x20, 0xD7FF),
            });
        return sb.ToString();
    }

    private string Control(int length)
    {
        var sb = new StringBuilder("workflow {\n  name = ");
        for (var i = 0; i < length; i++)
            sb.Append(_random.Next(3) == 0 ? Tokens[_random.Next(Tokens.Length)] : ((char)(_random.Next(0x21) is var c && c == 0x20 ? 0x7F : c)).ToString());
        return sb.ToString();
    }

    private string Comments() => _random.Next(4) switch
    {
        0 => "workflow {\n  # " + Chars(_random.Next(1, 100_000), ' ', '~') + "\n}\n",
        1 => "workflow { // never ends {[\"" + Chars(_random.Next(1, 1_000), ' ', '~'),
        2 => "workflow { /* " + Chars(_random.Next(1, 1_000), ' ', '~') + "\n nodes { }",
        _ => string.Concat(Enumerable.Range(0, _random.Next(1, 5_000)).Select(_ => _random.Next(2) == 0 ? "#{\n" : "//[\n")) + "workflow { }",
    };

    private string Bytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return _random.Next(2) == 0 ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
    }

    private int _jsonBudget;

    /// <summary>A random JSON document of at most a few thousand values, nested up to 90 deep, sometimes as a workflow.</summary>
    private string JsonDocument()
    {
        _jsonBudget = _random.Next(1, 3_000);
        var json = Json(_random.Next(1, 90));
        return _random.Next(2) == 0 ? json : "{\"workflow\": " + json + "}";
    }

    private string Json(int depth)
    {
        if (depth <= 0 || --_jsonBudget <= 0) return JsonScalar();
        var n = _random.Next(0, 4);
        if (_random.Next(2) == 0)
            return "[" + string.Join(", ", Enumerable.Range(0, n).Select(_ => Json(depth - 1 - _random.Next(3)))) + "]";
        return "{" + string.Join(", ", Enumerable.Range(0, n).Select(i => $"\"k{i}\": {Json(depth - 1 - _random.Next(3))}")) + "}";
    }

    private string JsonScalar() => _random.Next(6) switch
    {
        0 => "\"" + Chars(_random.Next(0, 30), ' ', '~').Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"",
        1 => "\"\\u00e9\\n\\t\\\"\\ud83d\\ude00\"",
        2 => _random.NextDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        3 => "-123456789012345678901234567890",
        4 => _random.Next(2) == 0 ? "true" : "null",
        _ => "\"unterminated",
    };

    private string TokenSoup(int count)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++) sb.Append(Tokens[_random.Next(Tokens.Length)]).Append(_random.Next(3) == 0 ? " " : "");
        return sb.ToString();
    }

    private string Damaged()
    {
        var sb = new StringBuilder(sample);
        for (var edits = _random.Next(1, 6); edits > 0; edits--)
        {
            var at = _random.Next(sb.Length + 1);
            var insert = _random.Next(4) switch
            {
                0 => new string("[{}]"[_random.Next(4)], _random.Next(1, 5_000)),
                1 => Tokens[_random.Next(Tokens.Length)],
                2 => "\n}\n",
                _ => "\n" + Tokens[_random.Next(Tokens.Length)] + " = 1\n",
            };
            sb.Insert(at, insert);
        }
        return sb.ToString();
    }
}
