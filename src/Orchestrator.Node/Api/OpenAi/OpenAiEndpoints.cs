using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.AI;
using Orchestrator.Api.Contracts;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Engine.Models;
using Orchestrator.Llama.Chat;
using Orchestrator.Llama.Pool;
using static Orchestrator.Core.Models.ModelQueries;

namespace Orchestrator.Node.Api.OpenAi;

/// <summary>An OpenAI-compatible endpoint over the node's model pools and, through its model router, those other members
/// of the cluster serve, on the API's address and token, so that tools and client libraries made for OpenAI (its .NET
/// client through Microsoft.Extensions.AI.OpenAI, LangChain, curl) run on them: <c>GET /v1/models</c> (each model a
/// completion may name) and <c>POST /v1/chat/completions</c>, streamed (server-sent events,
/// <c>data: [DONE]</c> last) or not. Each request runs through a <see cref="LlamaChatClient"/>, the same mapping any
/// .NET caller of the node's models uses; errors are answered in OpenAI's shape.</summary>
public static class OpenAiEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long one generation may run before the pool stops it (the client leaving stops it at once).</summary>
    public static readonly TimeSpan GenerationTimeout = TimeSpan.FromMinutes(10);

    private const string Example = """{"model": "tiny", "messages": [{"role": "user", "content": "Hello"}]}""";

    /// <summary>Maps <c>GET /v1/models</c> and <c>POST /v1/chat/completions</c>.</summary>
    public static void MapOpenAiEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/models", async (ActorSystem system, IRequiredActor<ModelManager> models, CancellationToken ct) =>
        {
            var served = await (await models.GetAsync(ct)).Ask<ModelsServed>(GetModels.Instance, AskTimeout, ct);
            // What chat completions route to: this node's models and, through the model router, those other members serve.
            var elsewhere = ActorRegistry.For(system).TryGet<ModelRouter>(out var router)
                ? (await router.Ask<ModelRouter.ModelsElsewhere>(ModelRouter.GetModelsElsewhere.Instance, AskTimeout, ct)).Models
                : new HashSet<string>();
            return Results.Json(ModelList(served, elsewhere), ApiJson.Options);
        }).Produces<OpenAiModelList>();

        app.MapPost("/v1/chat/completions", async (HttpContext http, ActorSystem system, IRequiredActor<ModelManager> manager) =>
        {
            var ct = http.RequestAborted;
            var (request, parseError) = await JsonBody.ParseAsync<ChatCompletionRequest>(http.Request, Example, ct);
            if (parseError is not null) return OpenAiError.Invalid(parseError).ToResult();
            var (call, error) = ChatCompletionCall.Read(request!);
            if (error is not null) return error.ToResult();
            // Through the model router when the node has one: a model another node of the cluster serves is served here too.
            var models = ActorRegistry.For(system).TryGet<ModelRouter>(out var router) ? router : await manager.GetAsync(ct);
            var client = new LlamaChatClient(system, models, call!.Model, GenerationTimeout);
            try
            {
                if (!call.Stream)
                {
                    var reply = await client.GetResponseAsync(call.Messages, call.Options, ct);
                    Counted(reply.Usage, call.Model);
                    return Results.Json(Completion(reply, call.Model), ApiJson.Options);
                }
                await using var updates = client.GetStreamingResponseAsync(call.Messages, call.Options, ct).GetAsyncEnumerator(ct);
                // The first update (or the refusal) before any byte: an unknown model or a full queue is an HTTP error.
                var any = await updates.MoveNextAsync();
                await StreamAsync(http.Response, updates, any, call, ct);
                return Results.Empty;
            }
            catch (LlamaGenerationException e)
            {
                return ChatCompletionCall.ErrorOf(e).ToResult();
            }
        }).Produces<ChatCompletion>().Produces<ChatCompletionChunk>(contentType: "text/event-stream").Produces<OpenAiErrorBody>(StatusCodes.Status400BadRequest);
    }

    /// <summary>Writes the chunks, first to last: the role with the first text, each text, the finish reason, the usage
    /// when asked for, <c>[DONE]</c>. A failure once the stream has begun is an error event, then the end.</summary>
    private static async Task StreamAsync(HttpResponse response, IAsyncEnumerator<ChatResponseUpdate> updates, bool any, ChatCompletionCall call,
        CancellationToken ct)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string? id = null;
        var first = true;
        try
        {
            for (var more = any; more; more = await updates.MoveNextAsync())
            {
                var update = updates.Current;
                id ??= $"chatcmpl-{update.ResponseId}";
                var usage = update.Contents.OfType<UsageContent>().FirstOrDefault();
                if (usage is not null) Counted(usage.Details, call.Model);
                var finish = update.FinishReason is { } reason ? FinishReason(reason) : null;
                if (update.Text.Length > 0 || first || finish is not null)
                    await WriteAsync(response, new ChatCompletionChunk(id, created, call.Model,
                        [new ChatCompletionChunkChoice(0, new ChatCompletionDelta(first ? "assistant" : null, update.Text.Length > 0 || first ? update.Text : null), finish)]), ct);
                first = false;
                if (usage is not null && call.IncludeUsage)
                    await WriteAsync(response, new ChatCompletionChunk(id, created, call.Model, [], Usage(usage.Details)), ct);
            }
            await response.WriteAsync("data: [DONE]\n\n", ct);
        }
        catch (LlamaGenerationException e)
        {
            await WriteAsync(response, ChatCompletionCall.ErrorOf(e).Body, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client left: the generation was cancelled in the pool.
        }
    }

    private static async Task WriteAsync<T>(HttpResponse response, T value, CancellationToken ct)
    {
        await response.WriteAsync("data: ", ct);
        await JsonSerializer.SerializeAsync(response.Body, value, ApiJson.Options, ct);
        await response.WriteAsync("\n\n", ct);
        await response.Body.FlushAsync(ct);
    }

    private static ChatCompletion Completion(ChatResponse reply, string model) =>
        new($"chatcmpl-{reply.ResponseId}", (reply.CreatedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(), reply.ModelId ?? model,
            [new ChatCompletionChoice(0, new ChatCompletionReplyMessage("assistant", reply.Text), FinishReason(reply.FinishReason ?? ChatFinishReason.Stop))],
            Usage(reply.Usage));

    private static string FinishReason(ChatFinishReason reason) => reason == ChatFinishReason.Length ? "length" : "stop";

    /// <summary>The tokens an answer generated count in the node's generated-token metric, as a session's do (a session's
    /// are counted by the actor that asked for them; this endpoint's requests go to the pool from here).</summary>
    private static void Counted(UsageDetails? usage, string model)
    {
        if (usage?.OutputTokenCount is { } generated and > 0)
            OrchestratorTelemetry.GeneratedTokens.Add(generated, new KeyValuePair<string, object?>(OrchestratorTelemetry.Attributes.Model, model));
    }

    private static ChatCompletionUsage Usage(UsageDetails? usage)
    {
        var prompt = (int)(usage?.InputTokenCount ?? 0);
        var completion = (int)(usage?.OutputTokenCount ?? 0);
        return new ChatCompletionUsage(prompt, completion, prompt + completion);
    }

    /// <summary>Each model a request may name, once, by name: this node's with their file's time, then those only other
    /// members serve (created 0: their files are not here).</summary>
    private static OpenAiModelList ModelList(ModelsServed local, IReadOnlySet<string> elsewhere) =>
        new(local.Models.Select(m => new OpenAiModel(m.Name, CreatedAt(m.Path), "orchestrator"))
            .Concat(elsewhere.Where(name => local.Models.All(m => m.Name != name)).Select(name => new OpenAiModel(name, 0, "orchestrator")))
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .ToList());

    /// <summary>When a model "was created": its file's time (0 when it cannot be read).</summary>
    private static long CreatedAt(string path)
    {
        try
        {
            return File.Exists(path) ? new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeSeconds() : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
