using System.Text;
using Orchestrator.Core.Validation;

namespace Orchestrator.Engine.Workflows;

/// <summary>One linear pass over a template's HOCON text before any parser sees it: it respects quoted and
/// triple-quoted strings and <c>#</c> and <c>//</c> comments, checks the size and the nesting depth, and finds what
/// Akka's parser would crash on, loop on, read from elsewhere or silently drop (a bracket that closes nothing or one of
/// the other kind, an unclosed one, a stray <c>$</c>, <c>=</c> or <c>:</c>, a key with no value, an unterminated string,
/// an <c>include</c>), each with its line. It also finds a key set twice in one object and fills the
/// <see cref="HoconLineIndex"/>. It checks its cancellation token as it goes, so a deadline stops it.</summary>
internal sealed class HoconPreScan
{
    /// <summary>What the pass found: the index of key lines, its problems, whether the text must not reach a parser,
    /// and the line of the first <c>${substitution}</c> (null when there is none).</summary>
    internal sealed record Result(HoconLineIndex Index, IReadOnlyList<TemplateProblem> Problems, bool Refused, int? SubstitutionAt);

    private const string Stops = "{}[]=:,#\"$";
    private static readonly string[] IncludeForms = ["\"", "file(", "url(", "classpath(", "required("];

    private readonly string _text;
    private readonly string _file;
    private readonly TemplateTextLimits _limits;
    private readonly CancellationToken _cancel;
    private readonly HoconLineIndex _index = new();
    private readonly List<Frame> _stack = [];
    private readonly List<TemplateProblem> _problems = [];
    private int _i;
    private int _line = 1;
    private int _steps;
    private bool _expectKey = true;
    private HoconLineIndex.Node? _pending; // the last key of the current object, for a '{' after it
    private (int Line, string Key)? _awaitingValue; // a key read, its '=', ':' or '{' not yet
    private (int Line, string Key)? _needValue; // a key's '=' or ':' read, its value not yet
    private string _lastKey = "";
    private bool _rootOpened; // the text's one pair of root braces, when it has them
    private int? _substitutionAt;
    private TemplateProblem? _refusal;
    private bool _duplicates; // refused too, once every one is listed: Akka's parser merges or overrides them silently

    /// <summary>An open object (with its key's node) or list, and the line that opened it.</summary>
    private readonly record struct Frame(bool IsList, HoconLineIndex.Node? Node, int OpenedAt);

    private HoconPreScan(string text, string file, TemplateTextLimits limits, CancellationToken cancel)
    {
        _text = text;
        _file = file;
        _limits = limits;
        _cancel = cancel;
    }

    /// <summary>Scans <paramref name="text"/> (named <paramref name="file"/> in problems) within
    /// <paramref name="limits"/>; throws <see cref="OperationCanceledException"/> when <paramref name="cancel"/> fires.</summary>
    internal static Result Run(string text, string file, TemplateTextLimits limits, CancellationToken cancel)
    {
        var scan = new HoconPreScan(text, file, limits, cancel);
        scan.Scan();
        var problems = scan._refusal is { } refusal ? [.. scan._problems, refusal] : scan._problems;
        return new Result(scan._index, problems, scan._refusal is not null || scan._duplicates, scan._substitutionAt);
    }

    private bool InList => _stack.Count > 0 && _stack[^1].IsList;

    private HoconLineIndex.Node? CurrentObject => _stack.Count == 0 ? _index.Root : _stack[^1].Node;

    private void Scan()
    {
        if (!CheckSize()) return;
        while (_i < _text.Length && _refusal is null)
        {
            Tick();
            var c = _text[_i];
            if (c == '\n') { EndOfLine(); continue; }
            if (char.IsWhiteSpace(c) || c == '\uFEFF') { _i++; continue; }
            if (c == '#' || (c == '/' && At("//")))
            {
                var end = _text.IndexOf('\n', _i);
                _i = end < 0 ? _text.Length : end;
                continue;
            }
            switch (c)
            {
                case '{' or '[': Open(c == '['); continue;
                case '}' or ']': Close(c); continue;
                case ',':
                    if ((_awaitingValue ?? _needValue) is { } key) { NoValue(key); return; }
                    _expectKey = !InList;
                    _pending = null;
                    _i++;
                    continue;
                case '=' or ':': Separator(1); continue;
                case '+' when At("+="): Separator(2); continue;
            }
            Token();
        }
        if (_refusal is not null) return;
        if ((_awaitingValue ?? _needValue) is { } last) NoValue(last);
        else if (_stack.Count > 0) Refuse("syntax", "the bracket opened here is never closed", _stack[^1].OpenedAt);
    }

    /// <summary>Refuses a text over the size limit at the line where it crosses the limit.</summary>
    private bool CheckSize()
    {
        if (Encoding.UTF8.GetByteCount(_text) <= _limits.MaxBytes) return true;
        long bytes = 0;
        var line = 1;
        for (var i = 0; i < _text.Length; i++)
        {
            Tick();
            bytes += _text[i] < 0x80 ? 1 : _text[i] < 0x800 || char.IsSurrogate(_text[i]) ? 2 : 3;
            if (bytes > _limits.MaxBytes) break;
            if (_text[i] == '\n') line++;
        }
        Refuse("too-large", $"a template may have at most {_limits.MaxBytes} bytes (UTF-8); this one passes that here", line);
        return false;
    }

    private void EndOfLine()
    {
        if ((_awaitingValue ?? _needValue) is { } key) { NoValue(key); return; }
        _line++;
        _i++;
        if (InList) return;
        _expectKey = true;
        _pending = null;
    }

    private void Open(bool list)
    {
        if (_stack.Count >= _limits.MaxDepth)
        {
            Refuse("too-deep", $"objects and lists may nest at most {_limits.MaxDepth} levels deep", _line);
            return;
        }
        if (!InList && _expectKey && (list || _stack.Count > 0 || _rootOpened))
        {
            Refuse("syntax", $"a '{(list ? '[' : '{')}' where a key is expected", _line);
            return;
        }
        if (list && _awaitingValue is { } key)
        {
            Refuse("syntax", $"'{key.Key}' needs '=' or ':' before a list", _line);
            return;
        }
        _rootOpened |= _stack.Count == 0;
        // An object after a key is that key's; one in a list, or after a value, has keys of its own.
        var node = list ? null : _pending ?? (_stack.Count == 0 ? _index.Root : new HoconLineIndex.Node(_line));
        _stack.Add(new Frame(list, node, _line));
        _awaitingValue = null;
        _needValue = null;
        _pending = null;
        _expectKey = !list;
        _i++;
    }

    private void Close(char c)
    {
        if ((_awaitingValue ?? _needValue) is { } key) { NoValue(key); return; }
        if (_stack.Count == 0)
        {
            Refuse("syntax", $"this '{c}' closes nothing: Akka's parser would drop everything after it", _line);
            return;
        }
        if (_stack[^1].IsList != (c == ']'))
        {
            Refuse("syntax", "this bracket closes one of the other kind", _line);
            return;
        }
        _stack.RemoveAt(_stack.Count - 1);
        _pending = null;
        _expectKey = !InList;
        _i++;
    }

    private void Separator(int length)
    {
        if (_expectKey || InList)
        {
            Refuse("syntax", "'=' or ':' with no key before it", _line);
            return;
        }
        if (_awaitingValue is not { } key)
        {
            Refuse("syntax", $"a second '=' or ':' after '{_lastKey}': quote a value that has one", _line);
            return;
        }
        _needValue = key;
        _awaitingValue = null;
        _i += length;
    }

    private void Token()
    {
        if (_awaitingValue is { } key)
        {
            Refuse("syntax", $"'{key.Key}' must be followed by '=', ':' or '{{' (a key is one word or one \"quoted string\")", _line);
            return;
        }
        _needValue = null;
        var line = _line;
        var quoted = _text[_i] == '"';
        string token;
        if (At("\"\"\"")) { TripleQuoted(); return; }
        if (quoted)
        {
            if (ReadQuoted() is not { } text) return;
            token = text;
        }
        else if (_text[_i] == '$')
        {
            Substitution();
            return;
        }
        else
        {
            var start = _i;
            while (_i < _text.Length && !char.IsWhiteSpace(_text[_i]) && Stops.IndexOf(_text[_i]) < 0 && !At("+=") && !At("//"))
            {
                Tick();
                _i++;
            }
            if (_i == start) { _i++; return; } // a character no rule took (a lone '+', '/'): a value's
            token = _text[start.._i];
        }
        if (_expectKey && !InList) Key(token, quoted, line);
    }

    private void Key(string key, bool quoted, int line)
    {
        if (!quoted && key == "include" && IncludeFollows())
        {
            Refuse("include", "'include' is not accepted in a template: write the whole template in its own file", line);
            return;
        }
        if (CurrentObject is { } node)
        {
            foreach (var segment in quoted ? [key] : key.Split('.')) node = node.Child(segment, line);
            if (node.Assigned)
            {
                _problems.Add(new("duplicate-key", $"'{key}' is set twice in one object (first at line {node.Line}): remove one",
                    new SourceLocation(_file, line)));
                _duplicates = true;
                node = new HoconLineIndex.Node(line); // the keys of the second one are not duplicates again
            }
            node.Assigned = true;
            _pending = node;
        }
        _awaitingValue = (line, key);
        _lastKey = key;
        _expectKey = false;
    }

    /// <summary>Reads a "quoted string" (escapes included) and returns its text, or null (refused) when the line or the
    /// text ends first.</summary>
    private string? ReadQuoted()
    {
        var sb = new StringBuilder();
        _i++;
        while (_i < _text.Length && _text[_i] != '"' && _text[_i] != '\n')
        {
            Tick();
            if (_text[_i] == '\\' && _i + 1 < _text.Length && _text[_i + 1] != '\n') _i++;
            sb.Append(_text[_i++]);
        }
        if (_i >= _text.Length || _text[_i] != '"')
        {
            Refuse("syntax", "this string is never closed: a \"quoted string\" ends on its own line", _line);
            return null;
        }
        _i++;
        return sb.ToString();
    }

    private void TripleQuoted()
    {
        if (_expectKey && !InList)
        {
            Refuse("syntax", "a key cannot be a \"\"\"triple-quoted\"\"\" string", _line);
            return;
        }
        var end = _text.IndexOf("\"\"\"", _i + 3, StringComparison.Ordinal);
        if (end < 0)
        {
            Refuse("syntax", "this \"\"\"triple-quoted\"\"\" string is never closed", _line);
            return;
        }
        end += 3;
        while (end < _text.Length && _text[end] == '"') end++; // """a"""" is the text a"
        _line += _text.AsSpan(_i, end - _i).Count('\n');
        _i = end;
    }

    private void Substitution()
    {
        if (!At("${"))
        {
            Refuse("syntax", "'$' outside quotes must start a ${substitution}", _line);
            return;
        }
        var end = _text.IndexOfAny(['}', '\n'], _i);
        if (end < 0 || _text[end] != '}')
        {
            Refuse("syntax", "this ${substitution} is never closed", _line);
            return;
        }
        if (_expectKey && !InList)
        {
            Refuse("syntax", "a key cannot be a ${substitution}", _line);
            return;
        }
        _substitutionAt ??= _line;
        _i = end + 1;
    }

    private bool IncludeFollows()
    {
        var j = _i;
        while (j < _text.Length && (_text[j] == ' ' || _text[j] == '\t')) j++;
        foreach (var form in IncludeForms)
            if (string.CompareOrdinal(_text, j, form, 0, form.Length) == 0) return true;
        return false;
    }

    private void NoValue((int Line, string Key) key) =>
        Refuse("syntax", $"'{key.Key}' has no value: write {key.Key} = value or {key.Key} {{ ... }}", key.Line);

    private void Refuse(string code, string message, int line) =>
        _refusal ??= new TemplateProblem(code, $"{_file} is not a readable template: {message}", new SourceLocation(_file, line));

    private bool At(string s) => string.CompareOrdinal(_text, _i, s, 0, s.Length) == 0;

    private void Tick()
    {
        if ((++_steps & 0x3FF) == 0) _cancel.ThrowIfCancellationRequested();
    }
}
