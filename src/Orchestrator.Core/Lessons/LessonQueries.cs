using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Lessons;

/// <summary>Questions for the lesson store: the best lessons for a task, and the list.</summary>
public static class LessonQueries
{
    /// <summary>The <see cref="Max"/> lessons most relevant (BM25) to a task of <see cref="TaskKind"/> with this prompt
    /// text, above the policy's minimum relevance; answered <see cref="LessonReplies.LessonsFound"/>.</summary>
    public sealed record FindLessons(string TaskKind, string Text, int Max) : IClusterMessage;

    /// <summary>Lessons, newest first, optionally of one kind, from <paramref name="Offset"/> among those older than the
    /// lesson <paramref name="Before"/> names (null: among all); answered <see cref="LessonReplies.LessonList"/>, which holds
    /// as many of the <paramref name="Limit"/> as one reply carries: ask on before its last lesson for the rest (a lesson
    /// learned meanwhile shifts nothing).</summary>
    public sealed record ListLessons(string? TaskKind = null, int Offset = 0, int Limit = 100, string? Before = null) : IClusterMessage;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("find-lessons.v1", typeof(FindLessons)),
        new("list-lessons.v1", typeof(ListLessons)),
    ];
}
