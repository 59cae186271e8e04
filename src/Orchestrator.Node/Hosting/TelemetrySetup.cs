using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Node.Configuration;

namespace Orchestrator.Node.Hosting;

/// <summary>The node's OpenTelemetry wiring: Orchestrator's spans and metrics (<see cref="OrchestratorTelemetry"/>)
/// exported over OTLP when <c>orchestrator.telemetry.otlp-endpoint</c> is set and to the console when
/// <c>console = on</c>, under <c>service-name</c>, with the HTTP API's request spans; with neither, nothing is registered
/// and nothing is recorded.</summary>
public static class TelemetrySetup
{
    /// <summary>ASP.NET Core's own source: a span per HTTP request, the parent of the session a request starts (and the
    /// continuation of a caller's <c>traceparent</c> header).</summary>
    public const string AspNetCoreSource = "Microsoft.AspNetCore";

    /// <summary>Registers the exporters <paramref name="settings"/> ask for, if any.</summary>
    public static IServiceCollection AddOrchestratorTelemetry(this IServiceCollection services, TelemetrySettings settings)
    {
        if (!settings.Exports) return services;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(settings.ServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(OrchestratorTelemetry.SourceName, AspNetCoreSource);
                if (settings.OtlpEndpoint is { } endpoint) tracing.AddOtlpExporter(o => o.Endpoint = endpoint);
                if (settings.Console) tracing.AddConsoleExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(OrchestratorTelemetry.MeterName);
                if (settings.OtlpEndpoint is { } endpoint) metrics.AddOtlpExporter(o => o.Endpoint = endpoint);
                if (settings.Console) metrics.AddConsoleExporter();
            });
        return services;
    }
}
