namespace Orchestrator.Node.Logs;

/// <summary>Writes every log entry to one file, a line each, in the layout of the node's console logs (the simple
/// console format on one line: <c>HH:mm:ss.fff info: Category[0] message</c>), so a line reads the same in either.
/// The file is created with its folder, appended to, flushed line by line and readable while written.</summary>
public sealed class FileLoggerProvider : ILoggerProvider
{
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();

    /// <summary>Opens <paramref name="path"/> for appending, creating its folder.</summary>
    public FileLoggerProvider(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock) _writer.Dispose();
    }

    /// <summary>One entry as one line: the timestamp, the level, the category and event id, the message, then the
    /// exception, with line breaks turned into spaces.</summary>
    internal static string Format(DateTimeOffset at, LogLevel level, string category, EventId eventId, string message, Exception? exception)
    {
        var line = $"{at:HH:mm:ss.fff} {LevelName(level)}: {category}[{eventId.Id}] {message}";
        if (exception is not null) line += " " + exception;
        return line.ReplaceLineEndings(" ");
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private void Write(string line)
    {
        lock (_lock)
        {
            try
            {
                _writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Stopped: the last entries of a shutdown have nowhere to go.
            }
        }
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            provider.Write(Format(DateTimeOffset.Now, logLevel, category, eventId, formatter(state, exception), exception));
        }
    }
}
