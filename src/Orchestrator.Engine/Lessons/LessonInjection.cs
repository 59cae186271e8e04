using Akka.Actor;

namespace Orchestrator.Engine.Lessons;

/// <summary>How sessions use the lesson store: where it is (the proxy <c>/user/lessons</c>), how many lessons a task's
/// prompt gets at most, and how long a worker waits for them before it goes on without (<c>orchestrator.lessons</c>).</summary>
public sealed record LessonInjection(IActorRef Store, int Count, TimeSpan AskTimeout);
