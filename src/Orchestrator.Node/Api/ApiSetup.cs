using Orchestrator.Api.Contracts;
using Orchestrator.Node.Api.OpenAi;
using Orchestrator.Node.Health;

namespace Orchestrator.Node.Api;

/// <summary>The HTTP API's services and pipeline: problem details for every error, the bearer token, JSON options,
/// the request body limit, and the endpoints.</summary>
public static class ApiSetup
{
    /// <summary>Registers the API's services.</summary>
    public static IServiceCollection AddOrchestratorApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<BindingFailureHandler>();
        services.AddExceptionHandler<UnansweredAskHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true); // so that BindingFailureHandler names the parameter
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddSingleton<StreamEnding>();
        services.AddSingleton<FeedBacklog>();
        return services;
    }

    /// <summary>Builds the pipeline and maps every endpoint.</summary>
    public static WebApplication UseOrchestratorApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<BearerTokenMiddleware>();
        app.UseMiddleware<BodySizeLimitMiddleware>();
        app.UseMiddleware<NotReadyMiddleware>();
        app.MapOpenApi();
        app.MapHealthEndpoints();
        app.MapManagementEndpoints();
        app.MapFeedEndpoints();
        app.MapSessionFeedEndpoints();
        app.MapSessionEndpoints();
        app.MapModelEndpoints();
        app.MapTemplateEndpoints();
        app.MapShardingEndpoints();
        app.MapAgentEndpoints();
        app.MapCouncilEndpoints();
        app.MapLessonEndpoints();
        app.MapOpenAiEndpoints();
        return app;
    }
}
