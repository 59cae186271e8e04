using System.Collections.Concurrent;
using Akka.Actor;
using Orchestrator.Core.Ids;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Engine.Tests.Support;

/// <summary>What a scripted model does with one request.</summary>
internal abstract record Script
{
    /// <summary>Streams the text in two chunks, then answers it.</summary>
    public sealed record Reply(string Text) : Script;

    /// <summary>Answers with a failure.</summary>
    public sealed record Fail(string Code, string Reason) : Script;

    /// <summary>Never answers (until cancelled: then a cancelled result).</summary>
    public sealed record Hang : Script;

    /// <summary>Answers <paramref name="Text"/> once it is known (a spec holds the answer back until it says).</summary>
    public sealed record Deferred(Task<string> Text) : Script;
}

/// <summary>A model actor for engine tests: answers <c>Generate</c> as the script says (by task id and attempt) and
/// records every request and cancellation, so that specs can tell what ran how often.</summary>
internal sealed class ScriptedModel : ReceiveActor
{
    /// <summary>A valid response-protocol reply, in the completion phase, for <paramref name="taskId"/>.</summary>
    public static string Completion(string taskId, string summary = "done") =>
        $$$"""
        <<<ORCHESTRATOR_RESPONSE>>>
        {"phase":"completion","data":{"task_id":"{{{taskId}}}","status":"success","summary":"{{{summary}}}"}}
        <<<END_ORCHESTRATOR_RESPONSE>>>
        """;

    /// <summary>The task id of a request (its id is session/task/attempt).</summary>
    public static string TaskOf(Generate g) =>
        AttemptId.TryParse(g.RequestId, out var attempt, out _) ? attempt.Task.Value : throw new ArgumentException($"not a request id: {g.RequestId}");

    /// <summary>The key of a council or group chat request within its attempt (empty for a plain task's).</summary>
    public static string KeyOf(Generate g) => AttemptId.TryParse(g.RequestId, out _, out var key) ? key ?? "" : "";

    public static Props Props(Func<Generate, Script> script, Log log) => Akka.Actor.Props.Create(() => new ScriptedModel(script, log));

    /// <summary>What the model saw.</summary>
    public sealed record Log(ConcurrentQueue<Generate> Requests, ConcurrentQueue<CancelGenerate> Cancellations)
    {
        public int CountFor(string taskId) => Requests.Count(r => TaskOf(r) == taskId);
    }

    private static GenerateResult Result(Generate g, string text) =>
        new(g.RequestId, g.Model, text, 10, 20, StopReason.EndOfText, new GenerateTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero));

    public ScriptedModel(Func<Generate, Script> script, Log log)
    {
        var hanging = new Dictionary<string, IActorRef>();
        Receive<Generate>(g =>
        {
            log.Requests.Enqueue(g);
            switch (script(g))
            {
                case Script.Reply(var text):
                    var half = text.Length / 2;
                    Sender.Tell(new TokenChunk(g.RequestId, 0, text[..half]));
                    Sender.Tell(new TokenChunk(g.RequestId, 1, text[half..]));
                    Sender.Tell(Result(g, text));
                    break;
                case Script.Fail(var code, var reason):
                    Sender.Tell(new GenerateFailed(g.RequestId, g.Model, code, reason));
                    break;
                case Script.Hang:
                    hanging[g.RequestId] = Sender;
                    break;
                case Script.Deferred(var later):
                    var requester = Sender;
                    later.ContinueWith(t => requester.Tell(Result(g, t.Result)), TaskScheduler.Default);
                    break;
            }
        });
        Receive<CancelGenerate>(c =>
        {
            log.Cancellations.Enqueue(c);
            if (hanging.Remove(c.RequestId, out var requester))
                requester.Tell(new GenerateResult(c.RequestId, c.Model, "", 0, 0, StopReason.Cancelled,
                    new GenerateTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero)));
        });
    }
}

internal static class ScriptedModels
{
    /// <summary>Starts a scripted model under <paramref name="name"/>, with an empty log.</summary>
    public static (IActorRef Model, ScriptedModel.Log Log) Start(ActorSystem system, Func<Generate, Script> script, string name)
    {
        var log = new ScriptedModel.Log(new ConcurrentQueue<Generate>(), new ConcurrentQueue<CancelGenerate>());
        return (system.ActorOf(ScriptedModel.Props(script, log), name), log);
    }
}
