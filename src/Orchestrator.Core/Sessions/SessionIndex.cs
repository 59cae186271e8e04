using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Validation;
using Orchestrator.Messages;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Core.Sessions;

/// <summary>The session list as a pure fold over the sessions' feed events (created, paused, resumed, iterations,
/// completed, failed, cancelled), newest first, paged by an opaque cursor. The same event may arrive twice and events of
/// one session out of order (the live feed and the journal's tag query both feed it): an event at or below the
/// sequence number already applied for its session changes nothing.</summary>
public sealed record SessionIndex
{
    /// <summary>The most one page may hold.</summary>
    public const int MaxLimit = 500;

    private ImmutableDictionary<string, Entry> Entries { get; init; } = ImmutableDictionary<string, Entry>.Empty.WithComparers(StringComparer.Ordinal);
    private ImmutableSortedSet<ListKey> Order { get; init; } = ImmutableSortedSet<ListKey>.Empty;

    /// <summary>The sessions indexed.</summary>
    public int Count => Entries.Count;

    /// <summary>The index after event <paramref name="sequenceNr"/> of <paramref name="sessionId"/>'s journal.</summary>
    public SessionIndex Apply(string sessionId, long sequenceNr, IPersistedEvent e)
    {
        var existing = Entries.GetValueOrDefault(sessionId);
        if (existing is not null && sequenceNr <= existing.SequenceNr) return this;
        if (existing is null)
        {
            if (e is not SessionCreated created) return this; // the rest of a session whose creation is not indexed yet
            var summary = new SessionSummary(sessionId, created.Workflow.Name, SessionLifecycle.Running, created.At, created.At, 1, null, null);
            return this with
            {
                Entries = Entries.SetItem(sessionId, new Entry(summary, sequenceNr)),
                Order = Order.Add(new ListKey(created.At, sessionId)),
            };
        }
        var s = existing.Summary;
        var updated = e switch
        {
            SessionPaused p => s with { Lifecycle = SessionLifecycle.Paused, UpdatedAt = p.At },
            SessionResumed r => s with { Lifecycle = SessionLifecycle.Running, UpdatedAt = r.At },
            IterationStarted i => s with { Iteration = i.Iteration, UpdatedAt = i.At },
            IterationCompleted i => s with { BestScore = Best(s.BestScore, i.Metrics.Score), UpdatedAt = i.At },
            SessionCompleted c => s with { Lifecycle = SessionLifecycle.Completed, BestScore = Best(s.BestScore, c.FinalScore), EndReason = c.Reason, UpdatedAt = c.At },
            SessionFailed f => s with { Lifecycle = SessionLifecycle.Failed, EndReason = f.Reason, UpdatedAt = f.At },
            SessionCancelled c => s with { Lifecycle = SessionLifecycle.Cancelled, EndReason = c.Reason, UpdatedAt = c.At },
            _ => s,
        };
        return this with { Entries = Entries.SetItem(sessionId, new Entry(updated, sequenceNr)) };
    }

    /// <summary>One page of the list, newest first, filtered by lifecycle and template; or every problem with the query.</summary>
    public IClusterMessage Query(ListSessions query)
    {
        var problems = new List<string>();
        SessionLifecycle? lifecycle = null;
        if (query.Lifecycle is { Length: > 0 } name)
        {
            if (Enum.TryParse<SessionLifecycle>(name, ignoreCase: true, out var parsed) && parsed != SessionLifecycle.New
                && !int.TryParse(name, out _))
                lifecycle = parsed;
            else
                problems.Add($"lifecycle '{InputEcho.Of(name)}' is not one of running, paused, completed, failed, cancelled");
        }
        if (query.Limit is < 1 or > MaxLimit) problems.Add($"limit {query.Limit} must be 1 to {MaxLimit}");
        ListKey? after = null;
        if (query.After is { Length: > 0 } cursor)
        {
            if (ListKey.TryParse(cursor) is { } key) after = key;
            else problems.Add($"cursor '{InputEcho.Of(cursor)}' (after) is not one this list gave");
        }
        if (problems.Count > 0) return new SessionListRefused(problems);

        var start = 0;
        if (after is { } from)
        {
            var at = Order.IndexOf(from);
            start = at >= 0 ? at + 1 : ~at; // the cursor's session itself, or where it would be
        }
        var page = new List<SessionSummary>(Math.Min(query.Limit, Entries.Count));
        string? next = null;
        for (var i = start; i < Order.Count; i++)
        {
            var summary = Entries[Order[i].SessionId].Summary;
            if (lifecycle is { } l && summary.Lifecycle != l) continue;
            if (query.Template is { Length: > 0 } t && !string.Equals(summary.Template, t, StringComparison.Ordinal)) continue;
            if (page.Count == query.Limit)
            {
                next = page[^1] is var last ? new ListKey(last.CreatedAt, last.SessionId).ToCursor() : null;
                break;
            }
            page.Add(summary);
        }
        return new SessionList(page, next);
    }

    private static double? Best(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private sealed record Entry(SessionSummary Summary, long SequenceNr);

    /// <summary>Newest first, then by id: the list's order and its cursor.</summary>
    private readonly record struct ListKey(DateTimeOffset CreatedAt, string SessionId) : IComparable<ListKey>
    {
        public int CompareTo(ListKey other)
        {
            var c = other.CreatedAt.UtcTicks.CompareTo(CreatedAt.UtcTicks);
            return c != 0 ? c : string.CompareOrdinal(SessionId, other.SessionId);
        }

        public string ToCursor() => $"{CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{SessionId}";

        public static ListKey? TryParse(string cursor)
        {
            var dot = cursor.IndexOf('.');
            return dot > 0
                   && long.TryParse(cursor.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                   && ticks <= DateTimeOffset.MaxValue.UtcTicks
                   && Ids.SessionId.Problem(cursor[(dot + 1)..]) is null
                ? new ListKey(new DateTimeOffset(ticks, TimeSpan.Zero), cursor[(dot + 1)..])
                : null;
        }
    }
}
