using System.Text;
using NativeLevel = LLama.Native.LLamaLogLevel;

namespace Orchestrator.Llama.Native;

/// <summary>Severity of a llama.cpp log line.</summary>
public enum LlamaLogLevel
{
    /// <summary>Detail for debugging llama.cpp.</summary>
    Debug,
    /// <summary>Normal progress (model metadata, buffer sizes).</summary>
    Info,
    /// <summary>Something unexpected that llama.cpp survives.</summary>
    Warning,
    /// <summary>A failure.</summary>
    Error,
}

/// <summary>Routes llama.cpp's and LLamaSharp's native log (<c>NativeLibraryConfig</c>'s log callback) to its
/// subscribers; each model manager subscribes Akka's log of its system. The callback is process-wide; with no
/// subscriber, warnings and errors go to standard error. Fragments are joined into whole lines.</summary>
public static class LlamaLog
{
    private static volatile Action<LlamaLogLevel, string>[] _sinks = [];
    private static volatile string? _lastLine;
    private static readonly StringBuilder Pending = new();
    private static LlamaLogLevel _pendingLevel;
    [ThreadStatic] private static int _errorsOnThisThread;
    private static readonly Lock Gate = new();

    /// <summary>Sends every log line to <paramref name="sink"/> until the returned handle is disposed.</summary>
    public static IDisposable Subscribe(Action<LlamaLogLevel, string> sink)
    {
        lock (Gate) _sinks = [.. _sinks, sink];
        return new Subscription(sink);
    }

    private sealed class Subscription(Action<LlamaLogLevel, string> sink) : IDisposable
    {
        public void Dispose()
        {
            lock (Gate) _sinks = _sinks.Where(s => s != sink).ToArray();
        }
    }

    /// <summary>The last whole line llama.cpp logged (a reason to quote when it refuses something).</summary>
    public static string? LastLine => _lastLine;

    /// <summary>Errors llama.cpp logged from calls made on this thread: the log callback runs on the calling thread,
    /// so a caller compares it before and after a call that reports failure only in the log.</summary>
    internal static int ErrorsOnThisThread => _errorsOnThisThread;

    /// <summary>LLamaSharp's log callback: called from native code, never throws.</summary>
    internal static void OnNative(NativeLevel level, string text)
    {
        try
        {
            lock (Gate)
            {
                if (level == NativeLevel.Error) _errorsOnThisThread++;
                if (level != NativeLevel.Continue)
                {
                    Flush();
                    _pendingLevel = level switch
                    {
                        NativeLevel.Debug => LlamaLogLevel.Debug,
                        NativeLevel.Warning => LlamaLogLevel.Warning,
                        NativeLevel.Error => LlamaLogLevel.Error,
                        _ => LlamaLogLevel.Info,
                    };
                }
                Pending.Append(text);
                if (text.EndsWith('\n')) Flush();
            }
        }
        catch
        {
            // Never let an exception cross into native code.
        }
    }

    private static void Flush()
    {
        if (Pending.Length == 0) return;
        var message = Pending.ToString().TrimEnd('\n');
        Pending.Clear();
        if (message.Length == 0) return;
        _lastLine = message;
        var sinks = _sinks;
        foreach (var sink in sinks)
        {
            try
            {
                sink(_pendingLevel, message);
            }
            catch
            {
                // A failing subscriber does not keep the line from the others.
            }
        }
        if (sinks.Length == 0 && _pendingLevel >= LlamaLogLevel.Warning) Console.Error.WriteLine($"llama.cpp: {message}");
    }
}
