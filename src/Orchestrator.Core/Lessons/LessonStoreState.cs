using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Core.Contracts;
using Orchestrator.Core.Messaging;
using static Orchestrator.Core.Lessons.LessonCommands;
using static Orchestrator.Core.Lessons.LessonEvents;
using static Orchestrator.Core.Lessons.LessonReplies;

namespace Orchestrator.Core.Lessons;

/// <summary>The lesson store as a pure fold over its events: lessons by number (ids are <c>lesson-&lt;number&gt;</c>,
/// in the order learned), a fingerprint of each so that the same lesson is not kept twice, and the next number. The
/// ranking index (<see cref="LessonIndex"/>) is derived from it and kept beside it by the store.</summary>
public sealed record LessonStoreState
{
    private const string IdPrefix = "lesson-";

    public ImmutableSortedDictionary<long, Lesson> Lessons { get; init; } = ImmutableSortedDictionary<long, Lesson>.Empty;
    public ImmutableHashSet<string> Fingerprints { get; init; } = ImmutableHashSet<string>.Empty.WithComparer(StringComparer.Ordinal);
    public long NextNumber { get; init; } = 1;

    /// <summary>An empty store.</summary>
    public static LessonStoreState Empty { get; } = new();

    /// <summary>The number of a lesson id, or null when it is not one.</summary>
    public static long? NumberOf(string id) =>
        id.StartsWith(IdPrefix, StringComparison.Ordinal) && long.TryParse(id.AsSpan(IdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n : null;

    /// <summary>The state after <paramref name="e"/>.</summary>
    public LessonStoreState Apply(IPersistedEvent e) => e switch
    {
        LessonLearned l when NumberOf(l.Lesson.Id) is { } n => this with
        {
            Lessons = Lessons.SetItem(n, l.Lesson),
            Fingerprints = Fingerprints.Add(Fingerprint(l.Lesson.TaskKind, l.Lesson.WhatWentWrong, l.Lesson.WhatFixedIt)),
            NextNumber = Math.Max(NextNumber, n + 1),
        },
        LessonForgotten f when NumberOf(f.Id) is { } n && Lessons.TryGetValue(n, out var lesson) => this with
        {
            Lessons = Lessons.Remove(n),
            Fingerprints = Fingerprints.Remove(Fingerprint(lesson.TaskKind, lesson.WhatWentWrong, lesson.WhatFixedIt)),
        },
        _ => this,
    };

    /// <summary>Keeps a candidate if <paramref name="policy"/> allows it and it is new: the lesson, and the oldest
    /// lessons forgotten when the store is full.</summary>
    public CommandResult Decide(RecordLesson c, LessonPolicy policy, DateTimeOffset now)
    {
        if (policy.Refusal(c) is { } reason) return CommandResult.ReplyOnly(new LessonRefused(reason));
        var kind = c.TaskKind.Trim();
        var wrong = policy.Excerpt(c.WhatWentWrong);
        var fix = policy.Excerpt(c.WhatFixedIt);
        if (Fingerprints.Contains(Fingerprint(kind, wrong, fix)))
            return CommandResult.ReplyOnly(new LessonRefused($"the same lesson is already kept for '{kind}'"));
        var lesson = new Lesson($"{IdPrefix}{NextNumber}", kind, wrong, fix, c.Trigger, c.SessionId, c.TaskId, c.At);
        var events = new List<IPersistedEvent>();
        var excess = Lessons.Count + 1 - Math.Max(1, policy.MaxLessons);
        foreach (var old in Lessons.Values.Take(Math.Max(0, excess)))
            events.Add(new LessonForgotten(old.Id, $"the store keeps at most {policy.MaxLessons} lessons", now));
        events.Add(new LessonLearned(lesson));
        return new CommandResult(events, new LessonAccepted(lesson));
    }

    /// <summary>Deletes a lesson by id.</summary>
    public CommandResult Decide(DeleteLesson c, DateTimeOffset now) =>
        NumberOf(c.Id) is { } n && Lessons.ContainsKey(n)
            ? CommandResult.Persist(new LessonForgotten(c.Id, "deleted", now), new LessonDeleted(c.Id))
            : CommandResult.ReplyOnly(new LessonNotFound(c.Id));

    /// <summary>A page of lessons, newest first, optionally of one kind: the <c>Limit</c> from <c>Offset</c> on (among
    /// those older than <c>Before</c>, when given), or as many of them as <paramref name="size"/> allows (and one at least);
    /// the asker asks on before the last one. <c>Total</c> counts every lesson of the kind.</summary>
    public LessonList List(LessonQueries.ListLessons q, ReplyPageSize? size = null)
    {
        var all = Lessons.Reverse().Where(kv => q.TaskKind is null || kv.Value.TaskKind == q.TaskKind).ToList();
        var before = q.Before is null ? long.MaxValue : NumberOf(q.Before) ?? 0; // an id that names no lesson: nothing is older
        var older = all.Where(kv => kv.Key < before);
        var (page, _) = (size ?? ReplyPageSize.Unlimited).Take(
            older.Select(kv => kv.Value).Skip(Math.Max(0, q.Offset)).Take(Math.Clamp(q.Limit, 0, 1000)), CharsOf);
        return new LessonList(all.Count, page);
    }

    /// <summary>The characters a lesson counts for against a <see cref="ReplyPageSize"/>.</summary>
    public static long CharsOf(Lesson l) =>
        160 + l.Id.Length + l.TaskKind.Length + l.WhatWentWrong.Length + l.WhatFixedIt.Length + l.Trigger.Length
        + (l.SessionId?.Length ?? 0) + (l.TaskId?.Length ?? 0);

    private static string Fingerprint(string kind, string wrong, string fix) => $"{kind}\n{wrong}\n{fix}";
}
