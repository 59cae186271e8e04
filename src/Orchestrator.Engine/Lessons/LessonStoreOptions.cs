
namespace Orchestrator.Engine.Lessons;

/// <summary>How the lesson store runs: how often it snapshots, and its clock.</summary>
public sealed record LessonStoreOptions(int SnapshotEvery, Func<DateTimeOffset>? Clock = null)
{
    /// <summary>A snapshot every 500 events.</summary>
    public static LessonStoreOptions Default { get; } = new(500);

    /// <summary>The time now, from <see cref="Clock"/> when set.</summary>
    public DateTimeOffset Now => Clock?.Invoke() ?? DateTimeOffset.UtcNow;
}
