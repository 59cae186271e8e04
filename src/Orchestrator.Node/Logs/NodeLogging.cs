namespace Orchestrator.Node.Logs;

/// <summary>Where the node's logs (its own, Akka's and ASP.NET Core's) go: the console, one line each (the node
/// command, the demo with <c>--verbose</c>), or a file in the same layout (the demo, whose console shows the demo).</summary>
public sealed record NodeLogging(string? File)
{
    /// <summary>Logs on the console.</summary>
    public static NodeLogging Console { get; } = new((string?)null);

    /// <summary>The folder of the demo's log files, under the working directory.</summary>
    public const string DemoFolder = "data/logs";

    /// <summary>Logs in a new file of <see cref="DemoFolder"/> named after the time the node started.</summary>
    public static NodeLogging DemoFile() =>
        new(Path.GetFullPath(Path.Combine(DemoFolder, $"node-{DateTime.Now:yyyyMMdd-HHmmss}.log")));

    /// <summary>Sends <paramref name="logging"/>'s entries where this says: ASP.NET Core's only from warnings up.</summary>
    public void ConfigureHost(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        if (File is { } file)
            logging.AddProvider(new FileLoggerProvider(file));
        else
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
    }
}
