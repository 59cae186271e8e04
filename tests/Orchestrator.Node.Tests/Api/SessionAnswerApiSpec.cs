using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Api;

/// <summary><c>POST /api/sessions/{id}/tasks/{task}/answer</c> on a real node: a waiting question shows in the session's
/// detail, answers that do not fit are refused (404, 409, 400 naming the field or the failing path) with nothing
/// written, accepted answers finish the session, and its events feed carries each request and answer.</summary>
public sealed class SessionAnswerApiSpec : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-answer-").FullName;
    private InProcessNode _node = null!;

    private const string SignOff = """
        workflow {
          name = sign-off
          nodes {
            approval { human { ask = "Ship it?" } }
            pages {
              human {
                ask = "How many pages?"
                answer = value
                schema = "{\"type\": \"object\", \"required\": [\"pages\"], \"properties\": {\"pages\": {\"type\": \"integer\", \"minimum\": 1}}}"
              }
            }
          }
        }
        """;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "sign-off.conf"), SignOff);
        _node = await InProcessNode.StartAsync($"orchestrator.sessions.templates-path = {HoconText.Quote(_dir)}");
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<HttpResponseMessage> Answer(string session, string task, string body) =>
        _node.Http.PostAsync($"/api/sessions/{session}/tasks/{task}/answer", new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detailPart)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detailPart, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    private async Task<JsonElement> AwaitDetail(string id, Func<JsonElement, bool> done)
    {
        var detail = default(JsonElement);
        await Eventually.HoldsAsync(async () => done(detail = await _node.Http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}")), Deadline,
            () => $"session '{id}' as expected; last seen {detail}");
        return detail;
    }

    private static JsonElement TaskOf(JsonElement detail, string id) =>
        detail.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("id").GetString() == id);

    [Fact]
    public async Task Questions_wait_answers_are_checked_and_the_feed_shows_each_request_and_answer()
    {
        var created = await _node.Http.PostAsJsonAsync("/api/sessions", new { template = "sign-off", id = "ask-1" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var waiting = await AwaitDetail("ask-1", d => d.GetProperty("tasks").EnumerateArray().All(t => t.GetProperty("state").GetString() == "waiting"));
        var question = TaskOf(waiting, "pages").GetProperty("question");
        Assert.Equal("How many pages?", question.GetProperty("text").GetString());
        Assert.Equal("value", question.GetProperty("answer").GetString());
        Assert.Equal("running", waiting.GetProperty("lifecycle").GetString());

        await AssertProblem(await Answer("nobody", "pages", """{"approve": true}"""), HttpStatusCode.NotFound, "nobody");
        await AssertProblem(await Answer("not valid!", "pages", """{"approve": true}"""), HttpStatusCode.BadRequest, "Session id");
        await AssertProblem(await Answer("ask-1", "ghost", """{"approve": true}"""), HttpStatusCode.Conflict, "no task 'ghost'");
        await AssertProblem(await Answer("ask-1", "pages", """{"value": {"pages": 0}}"""), HttpStatusCode.BadRequest, "$.pages must be at least 1");
        await AssertProblem(await Answer("ask-1", "pages", """{"approve": true}"""), HttpStatusCode.BadRequest, "asks for a value");
        await AssertProblem(await Answer("ask-1", "approval", """{"reject": " "}"""), HttpStatusCode.BadRequest, "Reject needs a reason");
        await AssertProblem(await Answer("ask-1", "approval", """{"approve": "yes"}"""), HttpStatusCode.BadRequest, "approve");
        await AssertProblem(await Answer("ask-1", "approval", """{"approved": true}"""), HttpStatusCode.BadRequest, "approved");
        await AssertProblem(await Answer("ask-1", "approval", ""), HttpStatusCode.BadRequest, "empty");
        var unchanged = await _node.Http.GetFromJsonAsync<JsonElement>("/api/sessions/ask-1");
        Assert.All(unchanged.GetProperty("tasks").EnumerateArray(), t => Assert.Equal("waiting", t.GetProperty("state").GetString()));

        Assert.Equal(HttpStatusCode.OK, (await Answer("ask-1", "approval", """{"approve": true}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Answer("ask-1", "pages", """{"value": {"pages": 12}}""")).StatusCode);
        var done = await AwaitDetail("ask-1", d => d.GetProperty("lifecycle").GetString() == "completed");
        Assert.Equal("""{"pages": 12}""", TaskOf(done, "pages").GetProperty("output").GetString());
        await AssertProblem(await Answer("ask-1", "approval", """{"approve": true}"""), HttpStatusCode.Conflict, "completed");

        using var cts = new CancellationTokenSource(Deadline);
        var types = (await _node.Http.ReadEventsAsync("/api/sessions/ask-1/events", cts.Token)) // to the end, after the session's last event
            .Where(i => i.EventId is not null).Select(i => i.EventType).ToList();
        Assert.Equal(2, types.Count(t => t == "human-input-requested.v1"));
        Assert.Equal(2, types.Count(t => t == "human-input-answered.v1"));
        Assert.Equal("session-completed.v1", types[^1]);
    }
}
