using static Orchestrator.Core.Lessons.LessonCommands;

namespace Orchestrator.Core.Lessons;

/// <summary>Which candidate lessons are kept and how they are used (<c>orchestrator.lessons</c>): at least
/// <see cref="MinFailures"/> failed attempts before the success (a lesson from a failure), critiques only when
/// <see cref="FromCritiques"/>, at least <see cref="MinTextChars"/> characters of what went wrong and of the fix, each
/// kept to <see cref="ExcerptChars"/>; at most <see cref="MaxLessons"/> (the oldest go); lessons of another kind than
/// the task's are offered only above <see cref="MinRelevance"/> (BM25 score; lessons of its own kind always are).</summary>
public sealed record LessonPolicy(
    int MinFailures = 1,
    bool FromCritiques = true,
    int MinTextChars = 8,
    int ExcerptChars = 400,
    int MaxLessons = 100_000,
    double MinRelevance = 1.0)
{
    /// <summary>The defaults.</summary>
    public static LessonPolicy Default { get; } = new();

    /// <summary>Why <paramref name="c"/> is not kept, or null when it is.</summary>
    public string? Refusal(RecordLesson c)
    {
        if (string.IsNullOrWhiteSpace(c.TaskKind)) return "a lesson needs a task kind";
        switch (c.Trigger)
        {
            case Lesson.FromFailure when c.Failures < MinFailures:
                return $"{c.Failures} failed attempt(s) before the success; lessons need at least {MinFailures}";
            case Lesson.FromCritique when !FromCritiques:
                return "lessons from critiques are turned off";
            case Lesson.FromFailure or Lesson.FromCritique:
                break;
            default:
                return $"unknown trigger '{c.Trigger}' (expected {Lesson.FromFailure} or {Lesson.FromCritique})";
        }
        if (Meaningful(c.WhatWentWrong) < MinTextChars) return $"what went wrong has fewer than {MinTextChars} characters";
        if (Meaningful(c.WhatFixedIt) < MinTextChars) return $"what fixed it has fewer than {MinTextChars} characters";
        return null;
    }

    /// <summary>A text as kept: whitespace collapsed, at most <see cref="ExcerptChars"/> characters.</summary>
    public string Excerpt(string text)
    {
        var collapsed = string.Join(' ', Clip(text).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length <= ExcerptChars ? collapsed : collapsed[..Math.Max(0, ExcerptChars - 1)] + "…";
    }

    private static int Meaningful(string? text) => text?.Count(c => !char.IsWhiteSpace(c)) ?? 0;
}
