using System.Diagnostics;
using Orchestrator.Core.Messaging;
using Orchestrator.Messages;
using static Orchestrator.Core.Models.ModelMessages;
using T = Orchestrator.Core.Diagnostics.OrchestratorTelemetry;

namespace Orchestrator.Engine.Models;

/// <summary>The telemetry of an actor's model calls: a <c>generation</c> span per request, from the caller's side (sent
/// to its answer: model, agent, request id, tokens, time to first token, outcome), whose W3C context the request carries
/// (<see cref="Generate.TraceParent"/>) to whichever node serves it; and the generated tokens and times to first token
/// of the answers. Its actor calls it; not thread-safe.</summary>
internal sealed class GenerationSpans
{
    private readonly Dictionary<string, Activity> _open = new(StringComparer.Ordinal);

    /// <summary>A request is sent, as a child of <paramref name="parent"/>: returns it carrying its span's context.</summary>
    public Generate Started(Generate request, ActivityContext parent, string? agent)
    {
        var span = T.Start(T.Spans.Generation, parent, ActivityKind.Client);
        if (span is null) return request;
        span.SetTag(T.Attributes.Model, request.Model)
            .SetTag(T.Attributes.RequestId, request.RequestId)
            .SetTag(T.Attributes.Agent, agent);
        _open[request.RequestId] = span;
        return request with { TraceParent = T.TraceParentOf(span) };
    }

    /// <summary>The answer of request <paramref name="requestId"/> came: its figures are recorded and its span ends.</summary>
    public void Answered(string requestId, IClusterMessage answer)
    {
        if (answer is GenerateResult r)
        {
            var model = new KeyValuePair<string, object?>(T.Attributes.Model, r.Model);
            T.GeneratedTokens.Add(r.CompletionTokens, model);
            if (r.CompletionTokens > 0) T.TimeToFirstToken.Record(r.Timings.FirstToken.TotalSeconds, model);
        }
        if (!_open.Remove(requestId, out var span)) return;
        switch (answer)
        {
            case GenerateResult result:
                span.SetTag(T.Attributes.PromptTokens, result.PromptTokens)
                    .SetTag(T.Attributes.GeneratedTokens, result.CompletionTokens)
                    .SetTag(T.Attributes.TimeToFirstToken, result.Timings.FirstToken.TotalSeconds);
                T.Stop(span, result.StopReason.ToString(), failed: result.StopReason is StopReason.Deadline or StopReason.Cancelled);
                break;
            case GenerateFailed failed:
                T.Stop(span, failed.Code, failed: true);
                break;
            default:
                T.Stop(span, "overloaded", failed: true);
                break;
        }
    }

    /// <summary>Request <paramref name="requestId"/> ends without an answer (<paramref name="outcome"/>: timed out,
    /// cancelled).</summary>
    public void Abandoned(string requestId, string outcome)
    {
        if (_open.Remove(requestId, out var span)) T.Stop(span, outcome, failed: true);
    }
}
