namespace Orchestrator.Llama.Pool;

/// <summary>Finds stop strings in streamed text without ever streaming a part of one: text that could still become a
/// stop string is held back until it can't.</summary>
internal sealed class StopStringMatcher(IReadOnlyList<string>? stops)
{
    private readonly string[] _stops = (stops ?? []).Where(s => s.Length > 0).ToArray();
    private string _held = "";

    /// <summary>Adds generated text; returns what may be emitted now and whether a stop string ended the text (the
    /// stop string and anything after it are dropped).</summary>
    public (string Emit, bool Stopped) Feed(string delta)
    {
        var buffer = _held + delta;
        if (_stops.Length == 0)
        {
            _held = "";
            return (buffer, false);
        }
        var first = -1;
        foreach (var stop in _stops)
        {
            var i = buffer.IndexOf(stop, StringComparison.Ordinal);
            if (i >= 0 && (first < 0 || i < first)) first = i;
        }
        if (first >= 0)
        {
            _held = "";
            return (buffer[..first], true);
        }
        var hold = 0;
        foreach (var stop in _stops)
            for (var len = Math.Min(stop.Length - 1, buffer.Length); len > hold; len--)
                if (buffer.AsSpan(buffer.Length - len).SequenceEqual(stop.AsSpan(0, len)))
                {
                    hold = len;
                    break;
                }
        _held = buffer[^hold..];
        return (buffer[..^hold], false);
    }

    /// <summary>The text held back, released when generation ends for another reason.</summary>
    public string Flush()
    {
        var held = _held;
        _held = "";
        return held;
    }
}
