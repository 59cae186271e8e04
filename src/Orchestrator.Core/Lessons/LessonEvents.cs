using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Lessons;

/// <summary>The events of the lesson store's journal (<c>lesson-store</c>); <see cref="LessonStoreState"/> is a fold
/// over them.</summary>
public static class LessonEvents
{
    /// <summary>A lesson was kept.</summary>
    public sealed record LessonLearned(Lesson Lesson) : IPersistedEvent;

    /// <summary>A lesson was dropped: deleted by request, or the oldest when the store is full.</summary>
    public sealed record LessonForgotten(string Id, string Reason, DateTimeOffset At) : IPersistedEvent;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("lesson-learned.v1", typeof(LessonLearned)),
        new("lesson-forgotten.v1", typeof(LessonForgotten)),
    ];
}
