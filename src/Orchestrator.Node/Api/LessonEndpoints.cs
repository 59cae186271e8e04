using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Api.Contracts;
using Orchestrator.Api.Contracts.Lessons;
using Orchestrator.Core.Lessons;
using Orchestrator.Core.Validation;
using Orchestrator.Engine.Lessons;
using Orchestrator.Node.Api.Mapping;
using static Orchestrator.Core.Lessons.LessonCommands;
using static Orchestrator.Core.Lessons.LessonQueries;
using static Orchestrator.Core.Lessons.LessonReplies;

namespace Orchestrator.Node.Api;

/// <summary>The lesson store over HTTP (<c>orch lessons</c>): lessons newest first (optionally of one task kind), the
/// lessons most relevant to a text ranked as a task would get them, and deleting one. Every call asks the
/// <see cref="LessonStore"/> singleton through its proxy.</summary>
public static class LessonEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The most lessons one page lists.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Maps the endpoints under <c>/api/lessons</c>.</summary>
    public static void MapLessonEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/lessons", async (string? kind, int? limit, int? offset, IRequiredActor<LessonStoreProxy> store, CancellationToken ct) =>
        {
            if (limit is < 1 or > MaxLimit) return Problems.BadRequest($"limit must be between 1 and {MaxLimit}, not {limit}.");
            if (offset is < 0) return Problems.BadRequest($"offset must not be negative, not {offset}.");
            // The store answers as many as cross remoting in one frame (it may run on another node): ask on, before the
            // last lesson read, to the limit.
            var (actor, wanted) = (await store.GetAsync(ct), limit ?? 100);
            var page = await actor.Ask<LessonList>(new ListLessons(Blank(kind), offset ?? 0, wanted), AskTimeout, ct);
            var lessons = page.Lessons.ToList();
            while (page.Lessons.Count > 0 && lessons.Count < wanted)
            {
                page = await actor.Ask<LessonList>(new ListLessons(Blank(kind), 0, wanted - lessons.Count, lessons[^1].Id), AskTimeout, ct);
                lessons.AddRange(page.Lessons);
            }
            return Results.Ok(new LessonList(page.Total, lessons).ToDto());
        }).Produces<LessonListDto>();

        app.MapGet("/api/lessons/search", async (string? q, string? kind, int? limit, IRequiredActor<LessonStoreProxy> store, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(q))
                return Problems.BadRequest("Give the text to search for: GET /api/lessons/search?q=TEXT[&kind=KIND][&limit=N].");
            if (limit is < 1 or > LessonStore.MaxPerQuery)
                return Problems.BadRequest($"limit must be between 1 and {LessonStore.MaxPerQuery}, not {limit}.");
            var found = await (await store.GetAsync(ct)).Ask<LessonsFound>(
                new FindLessons(kind?.Trim() ?? "", q, limit ?? 10), AskTimeout, ct);
            return Results.Ok(new LessonSearchDto(found.Lessons.Select(r => r.ToDto()).ToList()));
        }).Produces<LessonSearchDto>();

        app.MapDelete("/api/lessons/{id}", async (string id, IRequiredActor<LessonStoreProxy> store, CancellationToken ct) =>
            await (await store.GetAsync(ct)).Ask<object>(new DeleteLesson(id), AskTimeout, ct) switch
            {
                LessonDeleted deleted => Results.Ok(new DeletedDto(deleted.Id)),
                LessonNotFound missing => Problems.NotFound($"No lesson '{InputEcho.Of(missing.Id)}' (GET /api/lessons lists them)."),
                var other => Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Unexpected reply",
                    detail: $"The lesson store answered {other.GetType().Name}."),
            }).Produces<DeletedDto>();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
