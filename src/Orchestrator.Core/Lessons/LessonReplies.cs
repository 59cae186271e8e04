using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Lessons;

/// <summary>The lesson store's answers.</summary>
public static class LessonReplies
{
    /// <summary>A lesson was kept.</summary>
    public sealed record LessonAccepted(Lesson Lesson) : IClusterMessage;

    /// <summary>A candidate was not kept, and why (which criterion).</summary>
    public sealed record LessonRefused(string Reason) : IClusterMessage;

    /// <summary>A lesson was deleted.</summary>
    public sealed record LessonDeleted(string Id) : IClusterMessage;

    /// <summary>No lesson has that id.</summary>
    public sealed record LessonNotFound(string Id) : IClusterMessage;

    /// <summary>A lesson and its relevance to a query.</summary>
    public sealed record RankedLesson(Lesson Lesson, double Score);

    /// <summary>The best lessons for a task, most relevant first.</summary>
    public sealed record LessonsFound(IReadOnlyList<RankedLesson> Lessons) : IClusterMessage;

    /// <summary>A page of lessons and how many there are in all (of the kind asked).</summary>
    public sealed record LessonList(int Total, IReadOnlyList<Lesson> Lessons) : IClusterMessage;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("lesson-accepted.v1", typeof(LessonAccepted)),
        new("lesson-refused.v1", typeof(LessonRefused)),
        new("lesson-deleted.v1", typeof(LessonDeleted)),
        new("lesson-not-found.v1", typeof(LessonNotFound)),
        new("lessons-found.v1", typeof(LessonsFound)),
        new("lesson-list.v1", typeof(LessonList)),
    ];
}
