using System.Collections.Immutable;
using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Lessons;

/// <summary>The snapshot of the lesson store: its lessons in the order learned and the next number.</summary>
public static class LessonSnapshots
{
    /// <summary>Every lesson kept, oldest first.</summary>
    public sealed record LessonStoreSnapshot(IReadOnlyList<Lesson> Lessons, long NextNumber) : ISnapshotState;

    internal static IEnumerable<MessageManifest> Manifests => [new("lesson-store-snapshot.v1", typeof(LessonStoreSnapshot))];

    /// <summary>The state as a snapshot.</summary>
    public static LessonStoreSnapshot ToSnapshot(this LessonStoreState state) => new(state.Lessons.Values.ToList(), state.NextNumber);

    /// <summary>The state a snapshot holds.</summary>
    public static LessonStoreState ToState(this LessonStoreSnapshot snapshot) =>
        snapshot.Lessons.Aggregate(LessonStoreState.Empty, (s, l) => s.Apply(new LessonEvents.LessonLearned(l))) with
        {
            NextNumber = snapshot.NextNumber,
        };
}
