using Akka.Hosting;
using Orchestrator.Engine.Management;
using Orchestrator.Engine.Models;
using Orchestrator.Node.Api;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Health;
using Orchestrator.Node.Logs;
using Orchestrator.Node.Persistence;

namespace Orchestrator.Node.Hosting;

/// <summary>Builds the node's web application: Kestrel on the API address, Akka.Hosting, readiness and health endpoints.</summary>
public static class NodeApplication
{
    /// <summary>Checks the ports and the database file, then builds the application, logging as <paramref name="logging"/>
    /// says (the console when not given) and measuring readiness from <paramref name="start"/> (now when not given).
    /// The returned claim on the SQLite file must live as long as the node.</summary>
    public static (WebApplication App, IDisposable? DatabaseClaim) Build(NodeSettings settings, NodeConfig config, NodeStart? start = null,
        NodeLogging? logging = null)
    {
        PortGuard.EnsureFree("API", settings.Api.Host, settings.Api.Port, "orchestrator.api.port (ORCH_API_PORT)");
        PortGuard.EnsureFree("Akka remoting", settings.Hostname, settings.RemotingPort, "orchestrator.node.port (ORCH_NODE_PORT)");
        var claim = settings.Persistence.Provider == PersistenceProvider.Sqlite
            ? SqliteDatabaseFile.Claim(settings.Persistence.SqlitePath, settings.Persistence.SqliteCheckAtStart)
            : null;
        try
        {
            // The node's configuration is HOCON: the host's own appsettings files are not watched for changes.
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
            (logging ?? NodeLogging.Console).ConfigureHost(builder.Logging);
            // The slim builder already uses Kestrel (plain HTTP on TCP); UseKestrel would add HTTPS and QUIC (HTTP/3) setup.
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Listen(ApiEndPoint(settings.Api));
                k.Limits.MaxRequestBodySize = settings.Api.MaxBodyBytes;
            });
            builder.Services.AddSingleton(settings);
            builder.Services.AddSingleton(config);
            builder.Services.AddSingleton<NodeReadiness>();
            builder.Services.AddSingleton(start ?? NodeStart.Now());
            builder.Services.AddSingleton(logging ?? NodeLogging.Console);
            var faults = new JournalFaults();
            builder.Services.AddSingleton(faults);
            builder.Services.AddOrchestratorApi();
            builder.Services.AddSessionServices(settings.Sessions);
            builder.Services.AddSingleton(new ModelServingView(settings.Models.Served.Keys, settings.Sessions.ModelsByRole));
            builder.Services.AddOrchestratorTelemetry(settings.Telemetry);
            // Before the actor system: nodes starting together on PostgreSQL create the journal's tables one at a time.
            builder.Services.AddHostedService<SchemaCreationLock>();
            builder.Services.AddAkka(settings.SystemName, (akka, services) =>
                akka.AddOrchestratorNode(settings, config, faults).AddManagement().AddSessionsAndModels(services, config, settings));
            builder.Services.AddHostedService<ReadinessMonitor>();

            var app = builder.Build();
            app.UseOrchestratorApi();
            return (app, claim);
        }
        catch
        {
            claim?.Dispose();
            throw;
        }
    }

    private static System.Net.IPEndPoint ApiEndPoint(ApiSettings api)
    {
        var address = api.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            ? System.Net.IPAddress.Loopback
            : System.Net.IPAddress.Parse(api.Host);
        return new System.Net.IPEndPoint(address, api.Port);
    }
}
