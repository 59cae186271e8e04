using Akka.Actor;
using Akka.Event;
using Akka.Hosting.Logging;
using AkkaLogLevel = Akka.Event.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Orchestrator.Node.Logs;

/// <summary>Akka's logger that hands each event to Microsoft.Extensions.Logging once: under the category of the class
/// that logged it (the source's name when a string named it), with Akka's message alone, led by the actor's path when
/// an actor logged it. Akka.Hosting's own logger passes Akka's whole line (<c>[INFO][time][thread][source]</c>) as the
/// message under the one category <c>Akka.Actor.ActorSystem</c>, so every line carried two prefixes.</summary>
public sealed class AkkaLogForwarder : LoggerFactoryLogger
{
    private readonly ILoggerFactory _factory;
    private readonly Dictionary<string, ILogger> _loggers = [];

    /// <summary>Created by the actor system from <c>akka.loggers</c>; the logger factory comes from the host's setup.</summary>
    public AkkaLogForwarder() =>
        _factory = Context.System.Settings.Setup.Get<LoggerFactorySetup>().Value.LoggerFactory;

    /// <inheritdoc />
    protected override void Log(LogEvent log, ActorPath path)
    {
        var category = log.LogClass is { } type && type != typeof(DummyClassForStringSources) ? type.FullName ?? type.Name : SourceName(log.LogSource);
        if (!_loggers.TryGetValue(category, out var logger))
            _loggers[category] = logger = _factory.CreateLogger(category);
        var level = LevelOf(log);
        if (!logger.IsEnabled(level)) return;
        var message = ActorPath.TryParse(log.LogSource, out var actor)
            ? $"[{actor.ToStringWithoutAddress()}] {Text(log)}"
            : Text(log);
        logger.Log(level, default, message, log.Cause, static (m, _) => m);
    }

    /// <summary>A string source's name without the system it names (<c>Cluster (akka://orchestrator)</c> is
    /// <c>Cluster</c>), as one word.</summary>
    private static string SourceName(string source)
    {
        var open = source.IndexOf(" (", StringComparison.Ordinal);
        return (open > 0 ? source[..open] : source).Replace(' ', '-');
    }

    /// <summary>The event's message formatted; a template that does not match its arguments is shown with them rather
    /// than lost.</summary>
    private static string Text(LogEvent log)
    {
        try
        {
            return log.Message?.ToString() ?? "";
        }
        catch (FormatException)
        {
            return log.Message is LogMessage m
                ? $"{m.Format} (arguments: {string.Join(", ", m.Parameters())})"
                : $"(an unformattable message of type {log.Message?.GetType().Name})";
        }
    }

    /// <summary>The level <paramref name="log"/> is logged at: Akka's own, except that the end of a model host's
    /// connection (<c>Association with remote system akka.tcp://model-host@... has failed</c>, and the supervisor's
    /// <c>Disassociated</c> under it) is information. The node ends its hosts on purpose (when it stops, when it restarts
    /// one), and Akka reports a host's last message racing its closed connection as a failure; a host that dies is
    /// reported by its pool with its exit and last line.</summary>
    internal static LogLevel LevelOf(LogEvent log)
    {
        var level = Level(log.LogLevel());
        return level >= LogLevel.Warning && log.LogSource.Contains(ModelHostEndpoint, StringComparison.Ordinal)
                                         && (log.Cause?.GetType().Name == Disassociated || Text(log).Contains(Disassociated, StringComparison.Ordinal))
            ? LogLevel.Information
            : level;
    }

    /// <summary>Akka.Remote's (internal) exception for a connection that ended.</summary>
    private const string Disassociated = "EndpointDisassociatedException";

    /// <summary>What the path of the node's endpoint actors for a model host holds (the host's address, escaped).</summary>
    private static readonly string ModelHostEndpoint = $"reliableEndpointWriter-akka.tcp%3A%2F%2F{Models.ModelHostCommand.SystemName}%40";

    private static LogLevel Level(AkkaLogLevel level) => level switch
    {
        AkkaLogLevel.DebugLevel => LogLevel.Debug,
        AkkaLogLevel.InfoLevel => LogLevel.Information,
        AkkaLogLevel.WarningLevel => LogLevel.Warning,
        _ => LogLevel.Error,
    };
}
