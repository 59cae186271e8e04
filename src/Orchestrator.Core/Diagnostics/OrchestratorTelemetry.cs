using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orchestrator.Core.Diagnostics;

/// <summary>Orchestrator's traces and metrics, on <see cref="System.Diagnostics"/> only: the one
/// <see cref="ActivitySource"/> and <see cref="Meter"/>, the names of their spans, attributes and instruments, and the
/// instruments themselves. Whoever listens (the node's OpenTelemetry exporters, a test's listener) subscribes by
/// <see cref="SourceName"/> and <see cref="MeterName"/>; with no listener, nothing is recorded.</summary>
public static class OrchestratorTelemetry
{
    /// <summary>The name of the activity source every span comes from.</summary>
    public const string SourceName = "Orchestrator";

    /// <summary>The name of the meter every instrument belongs to.</summary>
    public const string MeterName = "Orchestrator";

    /// <summary>The source of every span.</summary>
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The meter of every instrument.</summary>
    public static readonly Meter Meter = new(MeterName);

    /// <summary>Span names.</summary>
    public static class Spans
    {
        /// <summary>A session on the node that holds it, from its start (or recovery) to its end or passivation.</summary>
        public const string Session = "session";

        /// <summary>One attempt of one task, from its dispatch to its outcome.</summary>
        public const string TaskAttempt = "task.attempt";

        /// <summary>One round and phase of a council.</summary>
        public const string CouncilRound = "council.round";

        /// <summary>One model request, from the caller's side: sent to its answer.</summary>
        public const string Generation = "generation";

        /// <summary>A model request accepted by the node that serves its model (a child of the caller's
        /// <see cref="Generation"/>, on whichever node that is).</summary>
        public const string GenerationServe = "generation.serve";
    }

    /// <summary>Attribute (tag) names of spans and metrics.</summary>
    public static class Attributes
    {
        /// <summary>The session's id.</summary>
        public const string SessionId = "orchestrator.session.id";

        /// <summary>The session's workflow template.</summary>
        public const string Template = "orchestrator.session.template";

        /// <summary>How a span's work ended: a session's lifecycle, an attempt's outcome, a generation's stop reason or
        /// failure code.</summary>
        public const string Outcome = "orchestrator.outcome";

        /// <summary>Whether the session span began with a recovery (a new incarnation) rather than a start.</summary>
        public const string Recovered = "orchestrator.session.recovered";

        /// <summary>The task's id.</summary>
        public const string TaskId = "orchestrator.task.id";

        /// <summary>The attempt's number (from 1).</summary>
        public const string Attempt = "orchestrator.task.attempt";

        /// <summary>The agent that ran the attempt or request.</summary>
        public const string Agent = "orchestrator.agent";

        /// <summary>The model name.</summary>
        public const string Model = "gen_ai.request.model";

        /// <summary>The model request's id.</summary>
        public const string RequestId = "orchestrator.request.id";

        /// <summary>The address of the node a model request came from.</summary>
        public const string CallerNode = "orchestrator.caller.node";

        /// <summary>Tokens of the prompt.</summary>
        public const string PromptTokens = "gen_ai.usage.input_tokens";

        /// <summary>Tokens generated.</summary>
        public const string GeneratedTokens = "gen_ai.usage.output_tokens";

        /// <summary>Tokens an attempt used (prompt and generated, all its requests).</summary>
        public const string Tokens = "orchestrator.tokens";

        /// <summary>Seconds from a request's arrival at its pool to its first token.</summary>
        public const string TimeToFirstToken = "orchestrator.time_to_first_token";

        /// <summary>The council round (from 1).</summary>
        public const string Round = "orchestrator.council.round";

        /// <summary>The council phase: generate, critique, revise, select.</summary>
        public const string Phase = "orchestrator.council.phase";

        /// <summary>The persistent entity a journal write belongs to (its kind, not its id).</summary>
        public const string Entity = "orchestrator.entity";
    }

    /// <summary>Instrument names.</summary>
    public static class Metrics
    {
        /// <summary>Sessions running on this node (an up-down counter).</summary>
        public const string SessionsActive = "orchestrator.sessions.active";

        /// <summary>Task attempts ended, by outcome (a counter).</summary>
        public const string TaskAttempts = "orchestrator.task.attempts";

        /// <summary>Requests waiting in a model's queue on this node, by model (a gauge).</summary>
        public const string ModelQueueDepth = "orchestrator.model.queue_depth";

        /// <summary>Tokens generated, by model (a counter: its rate is tokens per second).</summary>
        public const string GeneratedTokens = "orchestrator.model.generated_tokens";

        /// <summary>Seconds to a request's first token, by model (a histogram).</summary>
        public const string TimeToFirstToken = "orchestrator.model.time_to_first_token";

        /// <summary>Seconds from a persistent entity's write to its confirmation (a histogram).</summary>
        public const string JournalWriteLatency = "orchestrator.journal.write_latency";
    }

    /// <summary>Sessions running on this node.</summary>
    public static readonly UpDownCounter<long> SessionsActive =
        Meter.CreateUpDownCounter<long>(Metrics.SessionsActive, "{session}", "Sessions running on this node.");

    /// <summary>Task attempts ended, by outcome.</summary>
    public static readonly Counter<long> TaskAttempts =
        Meter.CreateCounter<long>(Metrics.TaskAttempts, "{attempt}", "Task attempts ended, by outcome.");

    /// <summary>Requests waiting in each model's queue on this node.</summary>
    public static readonly Gauge<long> ModelQueueDepth =
        Meter.CreateGauge<long>(Metrics.ModelQueueDepth, "{request}", "Requests waiting in a model's queue on this node.");

    /// <summary>Tokens generated, by model.</summary>
    public static readonly Counter<long> GeneratedTokens =
        Meter.CreateCounter<long>(Metrics.GeneratedTokens, "{token}", "Tokens generated, by model.");

    /// <summary>Time to a request's first token, by model.</summary>
    public static readonly Histogram<double> TimeToFirstToken =
        Meter.CreateHistogram<double>(Metrics.TimeToFirstToken, "s", "Time from a request's arrival at its pool to its first token.");

    /// <summary>Time from a persistent entity's write to its confirmation.</summary>
    public static readonly Histogram<double> JournalWriteLatency =
        Meter.CreateHistogram<double>(Metrics.JournalWriteLatency, "s", "Time from a persistent entity's write to its confirmation.");

    /// <summary>Starts a span as a child of <paramref name="parent"/> (a root when it is default), or returns null when
    /// nobody listens. Actors share threads, so the span never becomes <see cref="Activity.Current"/>: its context is
    /// passed on explicitly (<see cref="Stop"/> ends it the same way).</summary>
    public static Activity? Start(string name, ActivityContext parent = default, ActivityKind kind = ActivityKind.Internal)
    {
        if (!Source.HasListeners()) return null;
        var previous = Activity.Current;
        Activity.Current = null; // a default parent means a root, never whatever ran last on this thread
        var span = Source.StartActivity(name, kind, parent);
        Activity.Current = previous;
        return span;
    }

    /// <summary>Ends <paramref name="span"/> (null: nothing) with <paramref name="outcome"/>, an error status when
    /// <paramref name="failed"/>, leaving <see cref="Activity.Current"/> as it was.</summary>
    public static void Stop(Activity? span, string outcome, bool failed = false)
    {
        if (span is null || span.IsStopped) return;
        span.SetTag(Attributes.Outcome, outcome);
        if (failed) span.SetStatus(ActivityStatusCode.Error, outcome);
        var previous = Activity.Current;
        span.Stop();
        Activity.Current = previous;
    }

    /// <summary>The W3C <c>traceparent</c> of <paramref name="span"/>, to carry in a message that crosses nodes; null
    /// when there is none.</summary>
    public static string? TraceParentOf(Activity? span) =>
        span is { IdFormat: ActivityIdFormat.W3C } ? span.Id : null;

    /// <summary>The context a <c>traceparent</c> carried in a message names; default (a new root) when it is missing or
    /// malformed.</summary>
    public static ActivityContext ParentFrom(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;
}
