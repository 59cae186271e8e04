using System.Text.RegularExpressions;
using Akka.Event;

namespace Orchestrator.Llama.Pool;

/// <summary>How the node logs a line its model host wrote: at the level the host logged it, without Akka's level, time
/// and thread (the node's log has its own); anything else, such as llama.cpp writing to standard error before it
/// aborts, at Debug. Once the node has told the host to stop, the host's remoting complaining that the node's side of
/// their connection closed (its transport's handlers, its endpoints) is information: the connection ends because the
/// host does.</summary>
public static partial class ModelHostLines
{
    /// <summary>The level and text of <paramref name="line"/>; <paramref name="stopping"/>: the node has told the host to
    /// stop.</summary>
    public static (LogLevel Level, string Text) Read(string line, bool stopping)
    {
        var m = AkkaLine().Match(line);
        var text = m.Success ? line[m.Length..] : line;
        var level = (m.Success ? m.Groups[1].Value : "") switch
        {
            "ERROR" => LogLevel.ErrorLevel,
            "WARNING" => LogLevel.WarningLevel,
            "INFO" => LogLevel.InfoLevel,
            _ => LogLevel.DebugLevel,
        };
        return stopping && level >= LogLevel.WarningLevel && ConnectionSource().IsMatch(text) ? (LogLevel.InfoLevel, text) : (level, text);
    }

    /// <summary>The head of a line of Akka's standard-out logger: <c>[LEVEL][time][Thread n]</c>.</summary>
    [GeneratedRegex(@"^\[(ERROR|WARNING|INFO|DEBUG)\]\[[^\]]*\]\[Thread \d+\]")]
    private static partial Regex AkkaLine();

    /// <summary>The source of a line about a remoting connection: DotNetty's handlers, or an endpoint actor.</summary>
    [GeneratedRegex(@"^\[(TcpServerHandler|TcpClientHandler|[^\]]*/system/endpointManager/)")]
    private static partial Regex ConnectionSource();
}
