using Akka.Actor;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Demo;
using Orchestrator.Node.Diagnostics;
using Orchestrator.Node.Health;
using Orchestrator.Node.Hosting;
using Orchestrator.Node.Logs;
using Orchestrator.Node.Persistence;

// Exit codes: 0 stopped cleanly, 1 failed while running, 2 could not start (configuration, port or database in use,
// database corrupt or out of reach).
// Readiness is measured from here: under exec (./build.sh) the process's start time is the shell's, before the build.
var start = NodeStart.Now();
NodeCommandLine commandLine;
NodeSettings settings;
NodeConfig config;
try
{
    commandLine = NodeCommandLine.Parse(args);
    if (commandLine.ProbeModel is { } probeModel)
        return Orchestrator.Llama.Probe.ModelProbeCommand.Run(probeModel, Console.Out, Console.Error); // a child of the node; see ModelProbe
    if (commandLine.ModelHost)
        return await Orchestrator.Node.Models.ModelHostCommand.RunAsync(Console.In, Console.Out, Console.Error); // see HostedModelPool
    config = NodeConfigLoader.Load(commandLine.ConfigFile);
    if (commandLine.DemoManuscript is not null && DemoCommand.DefaultModelHocon(config, Console.Out) is { } demoModel)
        config = config.WithLayer(demoModel, "demo defaults (tiny model)");
    settings = NodeSettings.From(config);
}
catch (Exception e) when (e is ConfigurationException or ArgumentException or FormatException)
{
    Console.Error.WriteLine($"orchestrator: {e.Message}");
    return 2;
}

WebApplication app;
IDisposable? databaseClaim;
try
{
    // The demo's console shows the demo: the node's logs go to a file it names, unless --verbose.
    var logging = commandLine.DemoManuscript is not null && !commandLine.Verbose ? NodeLogging.DemoFile() : NodeLogging.Console;
    (app, databaseClaim) = NodeApplication.Build(settings, config, start, logging);
}
catch (Exception e) when (e is PortInUseException or DatabaseInUseException or DatabaseUnusableException or ConfigurationException)
{
    Console.Error.WriteLine($"orchestrator: {e.Message}");
    return 2;
}

using (databaseClaim)
{
    try
    {
        if (commandLine.DemoManuscript is { } manuscript)
        {
            await app.StartAsync();
            var code = await DemoCommand.RunAsync(app.Services, manuscript, Console.Out, CancellationToken.None);
            // Akka's loggers stop before the actor system does, and its last shutdown lines then go to standard output in
            // Akka's own format: with the logs in a file, the demo's console ends with the demo.
            if (app.Services.GetRequiredService<NodeLogging>().File is not null)
                Console.SetOut(TextWriter.Null);
            await app.StopAsync();
            return code;
        }

        if (commandLine.ProbeJournal is { } probe)
        {
            await app.StartAsync();
            await app.Services.GetRequiredService<NodeReadiness>().WhenReady;
            await ProbeJournalCommand.RunAsync(app.Services.GetRequiredService<ActorSystem>(), probe, Console.Out, CancellationToken.None);
            await app.StopAsync();
            return 0;
        }

        await app.RunAsync();
        return 0;
    }
    catch (Exception e)
    {
        Console.Error.WriteLine($"orchestrator: node failed: {e}");
        return 1;
    }
}
