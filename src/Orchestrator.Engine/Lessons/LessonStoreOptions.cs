using Orchestrator.Core.Messaging;

namespace Orchestrator.Engine.Lessons;

/// <summary>How the lesson store runs: how often it snapshots, its clock, and how much one list carries (by default what
/// fits Akka's default remoting frame of 128,000 bytes).</summary>
public sealed record LessonStoreOptions(int SnapshotEvery, Func<DateTimeOffset>? Clock = null, ReplyPageSize? ReplyPage = null)
{
    /// <summary>How much one list carries.</summary>
    public ReplyPageSize PageSize => ReplyPage ?? ReplyPageSize.DefaultFrame;

    /// <summary>A snapshot every 500 events.</summary>
    public static LessonStoreOptions Default { get; } = new(500);

    /// <summary>The time now, from <see cref="Clock"/> when set.</summary>
    public DateTimeOffset Now => Clock?.Invoke() ?? DateTimeOffset.UtcNow;
}
