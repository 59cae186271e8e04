using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

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

/// <summary>Routes llama.cpp's and ggml's log to a sink (the model manager points it at Akka's log). llama.cpp's
/// callback is process-wide, so is the sink; with none set, warnings and errors go to standard error.</summary>
public static class LlamaLog
{
    private static volatile Action<LlamaLogLevel, string>? _sink;
    private static readonly StringBuilder Pending = new();
    private static LlamaLogLevel _pendingLevel;
    private static readonly Lock Gate = new();

    /// <summary>Sets where log lines go; null restores the default.</summary>
    public static void SetSink(Action<LlamaLogLevel, string>? sink) => _sink = sink;

    internal static unsafe void Install() => LlamaNative.LogSet(&OnLog, 0);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void OnLog(int level, byte* text, nint userData)
    {
        try
        {
            var line = LlamaNative.PtrToString(text) ?? "";
            lock (Gate)
            {
                if ((GgmlLogLevel)level != GgmlLogLevel.Cont)
                {
                    Flush();
                    _pendingLevel = (GgmlLogLevel)level switch
                    {
                        GgmlLogLevel.Debug => LlamaLogLevel.Debug,
                        GgmlLogLevel.Warn => LlamaLogLevel.Warning,
                        GgmlLogLevel.Error => LlamaLogLevel.Error,
                        _ => LlamaLogLevel.Info,
                    };
                }
                Pending.Append(line);
                if (line.EndsWith('\n')) Flush();
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
        var sink = _sink;
        if (sink is not null) sink(_pendingLevel, message);
        else if (_pendingLevel >= LlamaLogLevel.Warning) Console.Error.WriteLine($"llama.cpp: {message}");
    }
}
