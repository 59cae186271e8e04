using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Api.Contracts.Models;
using Orchestrator.Core.Validation;
using Orchestrator.Llama.Pool;
using static Orchestrator.Core.Models.ModelQueries;

namespace Orchestrator.Node.Api;

/// <summary>The models this node serves (<c>orch models list</c>) and one model's live figures (<c>orch models stats</c>),
/// asked of the node's <see cref="ModelManager"/>.</summary>
public static class ModelEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Maps <c>GET /api/models</c> and <c>GET /api/models/{name}/stats</c>.</summary>
    public static void MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/models", async (IRequiredActor<ModelManager> models, CancellationToken ct) =>
        {
            var served = await (await models.GetAsync(ct)).Ask<ModelsServed>(GetModels.Instance, AskTimeout, ct);
            return TypedResults.Ok(new ModelListDto(served.Models
                .Select(m => new ModelInfoDto(m.Name, m.Path, m.ContextSize, m.Sequences, m.Threads, m.Loaded, m.NativeVariant,
                    m.Serving?.Name, m.Serving?.Reason)).ToList()));
        });

        app.MapGet("/api/models/{name}/stats", async (string name, IRequiredActor<ModelManager> models, CancellationToken ct) =>
            await (await models.GetAsync(ct)).Ask<object>(new GetModelStats(name), AskTimeout, ct) switch
            {
                ModelStats s => Results.Ok(new ModelStatsDto(s.Model, s.Loaded, s.QueueLength, s.ActiveSequences, s.Sequences,
                    Math.Round(s.TokensPerSecond, 1), s.RateWindow.TotalSeconds, s.TokensGenerated, s.RequestsServed,
                    s.RequestsFailed, s.RequestsRejected, s.NativeVariant)),
                ModelNotServed missing => Problems.NotFound(
                    $"No model named '{InputEcho.Of(missing.Model)}' is served here (served: {(missing.Served.Count == 0 ? "none" : string.Join(", ", missing.Served))})."),
                var other => Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Unexpected reply",
                    detail: $"The model manager answered {other.GetType().Name}."),
            }).Produces<ModelStatsDto>();
    }
}
