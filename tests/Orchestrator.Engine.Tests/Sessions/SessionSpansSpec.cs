using System.Diagnostics;
using Akka.TestKit.Xunit2;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Tests.Support;
using Xunit.Abstractions;
using T = Orchestrator.Core.Diagnostics.OrchestratorTelemetry;

namespace Orchestrator.Engine.Tests.Sessions;

/// <summary>A session's spans across a crash: the first incarnation's <c>session</c> span (a child of the span that
/// started it) ends as stopped with the attempt it left in flight abandoned; the recovered incarnation starts a new
/// one that ends with the session, holding the attempt that finished the task and its generation.</summary>
public sealed class SessionSpansSpec(ITestOutputHelper output)
    : TestKit(EngineTestConfig.Default, output: output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private const string Template = "spans-across-a-crash";

    [Fact]
    public async Task A_recovered_session_starts_a_new_span_and_the_first_ends_as_stopped_with_its_attempt_abandoned()
    {
        using var recorder = new SpanRecorder();
        var spans = recorder.Spans;
        var asked = 0;
        var (model, log) = ScriptedModels.Start(Sys, // the first attempt hangs until the crash; the next one answers
            g => Interlocked.Increment(ref asked) == 1 ? new Script.Hang() : new Script.Reply(ScriptedModel.Completion(ScriptedModel.TaskOf(g))),
            $"model-{Guid.NewGuid():N}");
        var session = SessionUnderTest.Start(this, new WorkflowTemplate(Template, [new WorkflowNode("work", "analyst", "do it", [])],
            SessionSettingsSpec.Empty, []), model);

        var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        var started = session.Client.StartAsync(SessionUnderTest.Id, Template, new Dictionary<string, string>());
        caller.Stop();
        (await started).OrThrow();
        await AwaitConditionAsync(() => Task.FromResult(log.CountFor("work") == 1), Deadline);
        await session.CrashAndRecoverAsync(this, 1, Deadline);

        await AwaitAssertAsync(() => Assert.Equal(2, Sessions(spans).Count), Deadline);
        var (first, second) = (Sessions(spans)[0], Sessions(spans)[1]);
        Assert.Equal(("stopped", false, caller.TraceId, caller.SpanId), (Outcome(first), (bool?)first.GetTagItem(T.Attributes.Recovered),
            first.TraceId, first.ParentSpanId));
        Assert.Equal(("completed", true, default(ActivitySpanId)), (Outcome(second), (bool?)second.GetTagItem(T.Attributes.Recovered), second.ParentSpanId));

        var abandoned = spans.Single(s => s.OperationName == T.Spans.TaskAttempt && s.ParentSpanId == first.SpanId);
        var finished = spans.Single(s => s.OperationName == T.Spans.TaskAttempt && s.ParentSpanId == second.SpanId);
        Assert.Equal(("abandoned", 1), (Outcome(abandoned), (int)abandoned.GetTagItem(T.Attributes.Attempt)!));
        Assert.Equal(("succeeded", 2, 30L), (Outcome(finished), (int)finished.GetTagItem(T.Attributes.Attempt)!, (long)finished.GetTagItem(T.Attributes.Tokens)!));
        var generation = spans.Single(s => s.OperationName == T.Spans.Generation && s.ParentSpanId == finished.SpanId);
        Assert.Equal((10, 20, "EndOfText"), ((int)generation.GetTagItem(T.Attributes.PromptTokens)!,
            (int)generation.GetTagItem(T.Attributes.GeneratedTokens)!, Outcome(generation)));
        Assert.Contains(spans, s => s.OperationName == T.Spans.Generation && s.ParentSpanId == abandoned.SpanId && Outcome(s) == "cancelled");
    }

    private static List<Activity> Sessions(IEnumerable<Activity> spans) =>
        spans.Where(s => s.OperationName == T.Spans.Session && (string?)s.GetTagItem(T.Attributes.Template) == Template)
            .OrderBy(s => s.StartTimeUtc).ToList();

    private static string? Outcome(Activity span) => (string?)span.GetTagItem(T.Attributes.Outcome);
}
