using System.Diagnostics;
using Orchestrator.Core.Messaging;
using static Orchestrator.Core.Sessions.SessionEvents;
using T = Orchestrator.Core.Diagnostics.OrchestratorTelemetry;

namespace Orchestrator.Engine.Sessions;

/// <summary>The telemetry of one session on the node that holds it: its <c>session</c> span (from its start, or its
/// recovery in a new incarnation, to its end or passivation), a <c>task.attempt</c> span per attempt it dispatches (a
/// child of the session's, to the attempt's outcome), and the metrics of both (sessions active, attempts ended by
/// outcome). The session's coordinator calls it; not thread-safe.</summary>
internal sealed class SessionSpans
{
    private readonly Dictionary<string, Activity> _attempts = new(StringComparer.Ordinal);
    private Activity? _session;
    private bool _active;

    /// <summary>The session span's context, the parent of its attempts' spans (default when nobody listens).</summary>
    public ActivityContext Context => _session?.Context ?? default;

    /// <summary>The session begins running here: started (as a child of the <paramref name="traceParent"/> its start
    /// carried) or recovered; a second call changes nothing.</summary>
    public void Began(string sessionId, string? template, string? traceParent, bool recovered)
    {
        if (_active) return;
        _active = true;
        T.SessionsActive.Add(1);
        _session = T.Start(T.Spans.Session, T.ParentFrom(traceParent), ActivityKind.Server);
        _session?.SetTag(T.Attributes.SessionId, sessionId)
            .SetTag(T.Attributes.Template, template)
            .SetTag(T.Attributes.Recovered, recovered);
    }

    /// <summary>An attempt was dispatched: its span starts, and its context is returned for the worker's own spans.</summary>
    public ActivityContext AttemptStarted(TaskDispatched d)
    {
        var span = T.Start(T.Spans.TaskAttempt, Context);
        if (span is null) return default;
        span.SetTag(T.Attributes.SessionId, d.SessionId.Value)
            .SetTag(T.Attributes.TaskId, d.TaskId.Value)
            .SetTag(T.Attributes.Attempt, d.Attempt)
            .SetTag(T.Attributes.Agent, d.Agent)
            .SetTag(T.Attributes.Model, d.Model);
        if (_attempts.Remove(d.TaskId.Value, out var earlier)) T.Stop(earlier, "superseded");
        _attempts[d.TaskId.Value] = span;
        return span.Context;
    }

    /// <summary>An attempt's outcome was written: counted by outcome, its span ended with the tokens it used.</summary>
    public void Written(IPersistedEvent e)
    {
        var (taskId, attempt, outcome, tokens) = e switch
        {
            TaskSucceeded s => (s.TaskId.Value, s.Attempt, "succeeded", s.Tokens),
            TaskFailed f => (f.TaskId.Value, f.Attempt, "failed", f.Tokens),
            _ => (null, 0, "", 0L),
        };
        if (taskId is null) return;
        T.TaskAttempts.Add(1, new KeyValuePair<string, object?>(T.Attributes.Outcome, outcome));
        if (!_attempts.TryGetValue(taskId, out var span) || !Equals(span.GetTagItem(T.Attributes.Attempt), attempt)) return;
        _attempts.Remove(taskId);
        span.SetTag(T.Attributes.Tokens, tokens);
        T.Stop(span, outcome, failed: e is TaskFailed);
    }

    /// <summary>The session ended here (<paramref name="outcome"/>: its lifecycle, or <c>stopped</c> when it passivated
    /// or its node stopped first); the attempts still open end with it.</summary>
    public void Ended(string outcome, bool failed = false)
    {
        foreach (var span in _attempts.Values) T.Stop(span, "abandoned");
        _attempts.Clear();
        if (!_active) return;
        _active = false;
        T.SessionsActive.Add(-1);
        T.Stop(_session, outcome, failed);
        _session = null;
    }
}
