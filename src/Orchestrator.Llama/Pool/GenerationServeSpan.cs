using System.Diagnostics;
using Akka.Actor;
using static Orchestrator.Core.Models.ModelMessages;
using T = Orchestrator.Core.Diagnostics.OrchestratorTelemetry;

namespace Orchestrator.Llama.Pool;

/// <summary>The <c>generation.serve</c> span a model manager opens for a request that carries its caller's trace
/// context (<see cref="Generate.TraceParent"/>): a child of the caller's <c>generation</c> span, on the node that serves
/// the model, however far the request came, marking its acceptance there (model, request id, the caller's node).</summary>
internal static class GenerationServeSpan
{
    /// <summary>The span of <paramref name="request"/>, from <paramref name="caller"/>; null when it carries no trace
    /// context or nobody listens.</summary>
    public static Activity? Start(Generate request, IActorRef caller)
    {
        if (request.TraceParent is null) return null;
        var span = T.Start(T.Spans.GenerationServe, T.ParentFrom(request.TraceParent), ActivityKind.Server);
        return span?.SetTag(T.Attributes.Model, request.Model)
            .SetTag(T.Attributes.RequestId, request.RequestId)
            .SetTag(T.Attributes.CallerNode, caller.Path.Address.ToString());
    }

    /// <summary>Ends <paramref name="span"/>: the request went to its pool, or was refused here.</summary>
    public static void Stop(Activity? span, bool accepted) =>
        T.Stop(span, accepted ? "accepted" : "refused", failed: !accepted);
}
