using Akka.Actor;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Benchmarks.Engine;

/// <summary>A model actor that costs nothing: it answers every <c>Generate</c> at once with one short
/// <c>GenerateResult</c> (no token chunks), or, for the requests <c>answers</c> refuses, never answers, so that their
/// tasks stay in flight. Counts the requests it saw.</summary>
internal sealed class InstantModel : ReceiveActor
{
    private static readonly GenerateTimings NoTime = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    public InstantModel(Func<Generate, bool> answers, RequestCounter counter)
    {
        Receive<Generate>(g =>
        {
            counter.Increment();
            if (answers(g))
                Sender.Tell(new GenerateResult(g.RequestId, g.Model, "done", 10, 20, StopReason.EndOfText, NoTime));
        });
        Receive<CancelGenerate>(_ => { });
    }

    /// <summary>A model answering everything.</summary>
    public static Props Props(RequestCounter counter) => Props(_ => true, counter);

    public static Props Props(Func<Generate, bool> answers, RequestCounter counter) =>
        Akka.Actor.Props.Create(() => new InstantModel(answers, counter));

    /// <summary>The task id of a request (its id is session/task/attempt).</summary>
    public static string TaskOf(Generate g) => g.RequestId.Split('/')[1];
}

/// <summary>How many requests a model saw.</summary>
internal sealed class RequestCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}
