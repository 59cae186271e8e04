using Akka.Configuration;
using Orchestrator.Core.Lessons;

namespace Orchestrator.Engine.Lessons;

/// <summary>How the lesson store runs: how often it snapshots, and its clock.</summary>
public sealed record LessonStoreOptions(int SnapshotEvery, Func<DateTimeOffset>? Clock = null)
{
    /// <summary>A snapshot every 500 events.</summary>
    public static LessonStoreOptions Default { get; } = new(500);

    /// <summary>The time now, from <see cref="Clock"/> when set.</summary>
    public DateTimeOffset Now => Clock?.Invoke() ?? DateTimeOffset.UtcNow;

    /// <summary>The options under <c>orchestrator.lessons</c>.</summary>
    public static LessonStoreOptions FromConfig(Config config) =>
        new(config.GetInt("orchestrator.lessons.snapshot-every", Default.SnapshotEvery));

    /// <summary>The keeping criteria under <c>orchestrator.lessons</c>.</summary>
    public static LessonPolicy PolicyFromConfig(Config config)
    {
        var d = LessonPolicy.Default;
        return new LessonPolicy(
            config.GetInt("orchestrator.lessons.min-failures", d.MinFailures),
            config.GetBoolean("orchestrator.lessons.from-critiques", d.FromCritiques),
            config.GetInt("orchestrator.lessons.min-text-chars", d.MinTextChars),
            config.GetInt("orchestrator.lessons.excerpt-chars", d.ExcerptChars),
            config.GetInt("orchestrator.lessons.max-lessons", d.MaxLessons),
            config.GetDouble("orchestrator.lessons.min-relevance", d.MinRelevance));
    }
}
