using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Core.Lessons;
using Orchestrator.Engine.Lessons;
using static Orchestrator.Core.Lessons.LessonCommands;
using static Orchestrator.Core.Lessons.LessonReplies;
using static Orchestrator.Node.Tests.Api.RegistryNode;

namespace Orchestrator.Node.Tests.Api;

/// <summary><c>/api/lessons</c>: lessons the store learned are listed newest first (by kind, paged), searched by
/// relevance, and deleted; an unknown id is a 404 problem and bad paging a 400.</summary>
public sealed class LessonApiSpec : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-lessons-api-").FullName;
    private InProcessNode _node = null!;

    public async Task InitializeAsync()
    {
        _node = await RegistryNode.StartAsync(_dir);
        var store = await _node.Services.GetRequiredService<IRequiredActor<LessonStoreProxy>>().GetAsync();
        await Learn(store, "sql", "the query timed out on the orders table", "added an index on orders.customer_id");
        await Learn(store, "sql", "a join duplicated rows of invoices", "joined on the invoice key and grouped");
        await Learn(store, "docs", "the README skipped the install step", "listed the install command first");
    }

    private static async Task Learn(IActorRef store, string kind, string wrong, string fix) =>
        Assert.IsType<LessonAccepted>(await store.Ask<object>(
            new RecordLesson(kind, wrong, fix, Lesson.FromFailure, 1, "s-1", "t-1", DateTimeOffset.UtcNow), TimeSpan.FromSeconds(10)));

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Lessons_are_listed_newest_first_by_kind_and_paged()
    {
        var all = await _node.Http.GetJson("/api/lessons");
        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(["lesson-3", "lesson-2", "lesson-1"], all.GetProperty("lessons").EnumerateArray().Select(l => l.GetProperty("id").GetString()));
        var first = all.GetProperty("lessons")[0];
        Assert.Equal("docs", first.GetProperty("taskKind").GetString());
        Assert.Equal("the README skipped the install step", first.GetProperty("whatWentWrong").GetString());
        Assert.Equal("failure", first.GetProperty("trigger").GetString());

        var sql = await _node.Http.GetJson("/api/lessons?kind=sql&limit=1");
        Assert.Equal(2, sql.GetProperty("total").GetInt32());
        Assert.Equal("lesson-2", Assert.Single(sql.GetProperty("lessons").EnumerateArray()).GetProperty("id").GetString());

        await AssertProblem(await _node.Http.GetAsync("/api/lessons?limit=0"), HttpStatusCode.BadRequest, "limit must be between 1 and 1000");
    }

    [Fact]
    public async Task A_search_ranks_the_most_relevant_lesson_first_with_its_score()
    {
        var found = (await _node.Http.GetJson("/api/lessons/search?q=orders%20query%20timed%20out&kind=sql")).GetProperty("lessons");

        var best = found[0];
        Assert.Equal("lesson-1", best.GetProperty("id").GetString());
        Assert.True(best.GetProperty("score").GetDouble() > 0);
        Assert.DoesNotContain(found.EnumerateArray(), l => l.GetProperty("taskKind").GetString() == "docs");

        Assert.Equal(0, (await _node.Http.GetJson("/api/lessons/search?q=zebra")).GetProperty("lessons").GetArrayLength());
        await AssertProblem(await _node.Http.GetAsync("/api/lessons/search"), HttpStatusCode.BadRequest, "q=TEXT");
    }

    [Fact]
    public async Task A_lesson_is_deleted_and_an_unknown_id_is_404()
    {
        var deleted = await _node.Http.DeleteAsync("/api/lessons/lesson-2");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("lesson-2", (await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deleted").GetString());
        Assert.Equal(2, (await _node.Http.GetJson("/api/lessons")).GetProperty("total").GetInt32());

        await AssertProblem(await _node.Http.DeleteAsync("/api/lessons/lesson-2"), HttpStatusCode.NotFound, "'lesson-2'");
        await AssertProblem(await _node.Http.DeleteAsync("/api/lessons/nonsense"), HttpStatusCode.NotFound, "'nonsense'");
        Assert.Equal(2, (await _node.Http.GetJson("/api/lessons")).GetProperty("total").GetInt32());
    }
}
