using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Llama.Gguf;
using Orchestrator.Messages.Sessions;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Tests.Api;
using Orchestrator.Testing;
using T = Orchestrator.Core.Diagnostics.OrchestratorTelemetry;

namespace Orchestrator.Node.Tests.Sessions;

/// <summary>A session started over HTTP on a node with a generated tiny model, watched by an activity and a meter
/// listener: its spans form one trace (the request, the session, each task attempt, each generation, its serving) with
/// their attributes, and the node's metrics record it.</summary>
public sealed class SessionTelemetrySpec : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-telemetry-").FullName;
    private readonly RecordedTelemetry _recorded = new();
    private InProcessNode _node = null!;

    public async Task InitializeAsync()
    {
        var model = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(model, TinyModelSpec.Tiny);
        var workflows = Directory.CreateDirectory(Path.Combine(_dir, "workflows")).FullName;
        await File.WriteAllTextAsync(Path.Combine(workflows, "traced.conf"), """"
            workflow {
              name = traced
              nodes {
                draft { role = writer, prompt = "Say hello." }
                verdict { role = writer, prompt = "Judge it.", depends-on = [draft],
                          output-schema = """{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"],"additionalProperties":false}""" }
              }
            }
            """");
        _node = await InProcessNode.StartAsync($$"""
            orchestrator.llm.models.tiny { path = {{HoconText.Quote(model)}}, context-size = 4096, sequences = 2, threads = 1 }
            orchestrator.sessions.templates-path = {{HoconText.Quote(workflows)}}
            orchestrator.sessions.models-by-role { writer = tiny }
            orchestrator.sessions.max-tokens = 48
            """);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _recorded.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private List<Activity> Named(string name, string? sessionId = null) =>
        _recorded.Spans.Where(s => s.OperationName == name
            && (sessionId is null || (string?)s.GetTagItem(T.Attributes.SessionId) == sessionId)).ToList();

    [Fact]
    public async Task A_session_is_one_trace_from_the_request_through_its_attempts_to_each_generation_and_the_node_records_its_metrics()
    {
        const string id = "traced-1";
        var created = await _node.Http.PostAsJsonAsync("/api/sessions", new { template = "traced", id, inputs = new Dictionary<string, string>() });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        await Eventually.HoldsAsync(() => Task.FromResult(Named(T.Spans.Session, id).Count == 1), Patience,
            () => $"the session span to end; spans: {string.Join(", ", _recorded.Spans.Select(s => s.OperationName))}");
        var detail = await _node.Http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.Equal("completed", detail.GetProperty("lifecycle").GetString());

        var session = Named(T.Spans.Session, id).Single();
        Assert.Equal(("traced", "completed", false), ((string?)session.GetTagItem(T.Attributes.Template),
            (string?)session.GetTagItem(T.Attributes.Outcome), (bool?)session.GetTagItem(T.Attributes.Recovered)));
        // The HTTP request that started it is its parent: the trace context went with StartSession through sharding.
        var request = _recorded.Spans.Single(s => s.Source.Name == "Microsoft.AspNetCore" && s.SpanId == session.ParentSpanId);
        Assert.Equal(request.TraceId, session.TraceId);

        var attempts = Named(T.Spans.TaskAttempt, id);
        Assert.Equal(["draft", "verdict"], attempts.Select(a => (string?)a.GetTagItem(T.Attributes.TaskId)).Order());
        Assert.All(attempts, a =>
        {
            Assert.Equal(session.SpanId, a.ParentSpanId);
            Assert.Equal(("tiny", "succeeded"), ((string?)a.GetTagItem(T.Attributes.Model), (string?)a.GetTagItem(T.Attributes.Outcome)));
            Assert.True((long)a.GetTagItem(T.Attributes.Tokens)! > 0, $"tokens of {a.GetTagItem(T.Attributes.TaskId)}");
        });

        foreach (var attempt in attempts)
        {
            var generation = _recorded.Spans.Single(s => s.OperationName == T.Spans.Generation && s.ParentSpanId == attempt.SpanId);
            Assert.Equal(session.TraceId, generation.TraceId);
            Assert.Equal("tiny", generation.GetTagItem(T.Attributes.Model));
            Assert.True((int)generation.GetTagItem(T.Attributes.PromptTokens)! > 0);
            Assert.True((int)generation.GetTagItem(T.Attributes.GeneratedTokens)! > 0);
            Assert.True((double)generation.GetTagItem(T.Attributes.TimeToFirstToken)! > 0);
            // The serving node (this one) continued the trace the request carried.
            var served = _recorded.Spans.Single(s => s.OperationName == T.Spans.GenerationServe && s.ParentSpanId == generation.SpanId);
            Assert.Equal("accepted", served.GetTagItem(T.Attributes.Outcome));
        }

        Assert.Contains(_recorded.Of(T.Metrics.SessionsActive), m => m.Value == 1);
        Assert.Contains(_recorded.Of(T.Metrics.SessionsActive), m => m.Value == -1);
        Assert.True(_recorded.Of(T.Metrics.TaskAttempts).Count(m => (string?)m.Tags[T.Attributes.Outcome] == "succeeded") >= 2);
        Assert.True(_recorded.Of(T.Metrics.GeneratedTokens).Where(m => (string?)m.Tags[T.Attributes.Model] == "tiny").Sum(m => m.Value) > 0);
        Assert.Contains(_recorded.Of(T.Metrics.TimeToFirstToken), m => (string?)m.Tags[T.Attributes.Model] == "tiny" && m.Value > 0);
        Assert.Contains(_recorded.Of(T.Metrics.JournalWriteLatency), m => (string?)m.Tags[T.Attributes.Entity] == "SessionCoordinator");
        await Eventually.HoldsAsync(() => Task.FromResult(_recorded.Of(T.Metrics.ModelQueueDepth).Any(m => (string?)m.Tags[T.Attributes.Model] == "tiny")),
            Patience, () => "the model's queue depth to be recorded");
    }
}
