using System.Diagnostics;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Client;
using Orchestrator.Engine.Streams;
using Orchestrator.Llama.Gguf;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Health;
using Orchestrator.Node.Logs;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Node.Demo;

/// <summary>The README's main job: the <c>manuscript-review</c> template over a sample manuscript on this node, with
/// when the node is ready and where its logs are, live progress, then the result, the figures and how to inspect the
/// session with <c>orch</c>. When no model is configured it makes a tiny random-weight one (grammar-constrained output
/// keeps every reply well formed).</summary>
public static class DemoCommand
{
    private const string Template = "manuscript-review";

    /// <summary>Tokens of context a sequence of the tiny model holds: a prompt of the manuscript and every review, and a
    /// reply. The model is written with it as its trained length (llama.cpp warns of a context beyond that).</summary>
    private const int TinyContext = 16384;

    /// <summary>HOCON to add when the node serves no model: a generated tiny model serving every role of the template.</summary>
    public static string? DefaultModelHocon(NodeConfig config, TextWriter output)
    {
        if (config.Config.GetConfig("orchestrator.llm.models") is { IsEmpty: false })
            return null;
        var path = Path.GetFullPath(Path.Combine("models", "tiny.gguf"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        output.WriteLine($"No model configured: making a tiny random-weight llama model at {path} (see README, 'Models', for a real one).");
        TinyModel.Ensure(path, TinyModelSpec.Tiny with { ContextLength = TinyContext });
        // Every role of the shipped templates: the node refuses templates whose councils name a role no model serves.
        var roles = new[] { "structure-analyst", "character-analyst", "pacing-analyst", "style-analyst", "continuity-checker", "editor", "reviewer",
            "planner", "technical-writer", "DEV", "QA", "ARCHITECT" };
        return $$"""
            orchestrator.llm.models.tiny { path = {{HoconText.Quote(path)}}, context-size = {{TinyContext}}, sequences = 4 }
            orchestrator.sessions.models-by-role { {{string.Join(", ", roles.Select(r => $"{r} = tiny"))}} }
            """;
    }

    /// <summary>Waits until the node is ready, then runs the session to its end, printing progress; returns 0 when it
    /// completed, 2 when the node was not ready within <c>orchestrator.node.ready-timeout</c>.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string manuscriptFile, TextWriter output, CancellationToken ct)
    {
        var logFile = services.GetRequiredService<NodeLogging>().File;
        output.WriteLine(logFile is null
            ? "Starting a node; its logs follow here."
            : $"Starting a node; its logs go to {logFile} (--verbose shows them here instead).");
        var readiness = services.GetRequiredService<NodeReadiness>();
        var readyTimeout = services.GetRequiredService<NodeSettings>().ReadyTimeout;
        try
        {
            await readiness.WhenReady.WaitAsync(readyTimeout, ct);
        }
        catch (TimeoutException)
        {
            output.WriteLine($"The node is not ready after {readyTimeout.TotalSeconds:0.#} s (orchestrator.node.ready-timeout): {readiness.Current.Reason}.");
            return 2;
        }
        output.WriteLine($"Node ready in {services.GetRequiredService<NodeStart>().Elapsed.TotalMilliseconds:0} ms.");

        var client = services.GetRequiredService<OrchestratorClient>();
        var system = services.GetRequiredService<ActorSystem>();
        var id = $"demo-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
        var manuscript = await File.ReadAllTextAsync(manuscriptFile, ct);
        var clock = Stopwatch.StartNew();
        var outputs = new Dictionary<string, string>();
        var ended = new TaskCompletionSource<SessionEnd>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = client.Events(id).RunForeach(item =>
        {
            if (item is not FeedItem<SessionLiveEvent>.Event { Value.Event: var e }) return;
            var at = $"[{clock.Elapsed.TotalSeconds,6:0.0}s]";
            switch (e)
            {
                case TaskDispatched d: output.WriteLine($"{at} → {d.TaskId} (attempt {d.Attempt}) on {d.Model}"); break;
                case TaskSucceeded s:
                    outputs[s.TaskId.Value] = s.Output;
                    output.WriteLine($"{at} ✓ {s.TaskId}: {s.Tokens} tokens in {s.Duration.TotalSeconds:0.0} s");
                    break;
                case TaskFailed f: output.WriteLine($"{at} ✗ {f.TaskId}: {f.Reason}{(f.Retryable ? " (will retry)" : "")}"); break;
                case IterationCompleted i: output.WriteLine($"{at} iteration {i.Metrics.Iteration} scored {i.Metrics.Score?.ToString("0.00") ?? "-"}"); break;
                case IterationStarted i: output.WriteLine($"{at} iteration {i.Iteration}: rerunning {string.Join(", ", i.TaskIds)} with the scorer's critique"); break;
                case var end when SessionEnds.IsEnd(end): ended.TrySetResult(new SessionEnd(e)); break;
            }
        }, system.Materializer());

        output.WriteLine($"Starting session {id}: {Template} over {Path.GetFullPath(manuscriptFile)}");
        if ((await client.StartAsync(id, Template, new Dictionary<string, string> { ["MANUSCRIPT"] = manuscript }, ct)).Rejected is { } rejected)
        {
            output.WriteLine($"The session was refused: {string.Join("; ", rejected.Problems)}");
            return 1;
        }
        var end = (await ended.Task.WaitAsync(ct)).Event;
        var status = (await client.StatusAsync(id, ct)).OrThrow();

        output.WriteLine();
        output.WriteLine(end is SessionCompleted ? "Session completed." : $"Session ended: {status.Lifecycle} ({status.EndReason}).");
        if (outputs.TryGetValue("recommendations", out var recommendations))
            output.WriteLine($"Recommendations: {recommendations}");
        if (outputs.TryGetValue("quality-score", out var score))
            output.WriteLine($"Quality score: {score}");
        output.WriteLine($"Figures: {status.Succeeded} tasks succeeded, {status.Failed} failed, {status.Iteration} iteration(s), " +
                         $"{status.TokensUsed} tokens, {clock.Elapsed.TotalSeconds:0.0} s, best score {status.BestScore?.ToString("0.00") ?? "-"}.");
        output.WriteLine("Inspect it: start the node with ./build.sh node, then");
        output.WriteLine($"  ./orch sessions show {id}");
        output.WriteLine($"  ./orch journal events session-{id}");
        if (logFile is not null)
            output.WriteLine($"The node's logs: {logFile}");
        return end is SessionCompleted ? 0 : 1;
    }

    /// <summary>The event that ended the session.</summary>
    private sealed record SessionEnd(object Event);
}
