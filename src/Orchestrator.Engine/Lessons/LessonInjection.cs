using Akka.Actor;
using Akka.Configuration;

namespace Orchestrator.Engine.Lessons;

/// <summary>How sessions use the lesson store: where it is (the proxy <c>/user/lessons</c>), how many lessons a task's
/// prompt gets at most, and how long a worker waits for them before it goes on without (<c>orchestrator.lessons</c>).</summary>
public sealed record LessonInjection(IActorRef Store, int Count, TimeSpan AskTimeout)
{
    /// <summary>The injection settings under <c>orchestrator.lessons</c> for <paramref name="store"/>.</summary>
    public static LessonInjection FromConfig(IActorRef store, Config config) => new(
        store,
        config.GetInt("orchestrator.lessons.inject", 3),
        config.GetTimeSpan("orchestrator.lessons.ask-timeout", TimeSpan.FromMilliseconds(300)));
}
