using System.Diagnostics;
using Orchestrator.Core.Models;

namespace Orchestrator.Llama.Pool;

/// <summary>A request handed to the batcher: the message, its compiled grammar, where replies go, and when it arrived.</summary>
internal sealed record PendingRequest(ModelMessages.Generate Request, string? Grammar, Action<object> Reply)
{
    public long ArrivedTicks { get; } = Stopwatch.GetTimestamp();

    public long? DeadlineTicks => Request.Timeout is { } t
        ? ArrivedTicks + (long)(t.TotalSeconds * Stopwatch.Frequency)
        : null;

    public string Id => Request.RequestId;
}
