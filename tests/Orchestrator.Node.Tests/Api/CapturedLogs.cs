using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Node.Tests.Api;

/// <summary>Every log entry of a node in the test process, with its category, level, message and exception type, so a
/// spec can say what a node logged (a warning once, no unhandled exception).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    /// <summary>One log entry.</summary>
    public sealed record Entry(string Category, LogLevel Level, string Message, string? Exception)
    {
        public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : $" [{Exception}]")}";
    }

    /// <summary>The entries so far, oldest first.</summary>
    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>The entries of <paramref name="level"/> or above, one a line, for failure messages.</summary>
    public string Describe(LogLevel level) => string.Join('\n', Entries.Where(e => e.Level >= level));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception?.GetType().FullName));
    }
}
