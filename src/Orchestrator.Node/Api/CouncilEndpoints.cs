using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Api.Contracts;
using Orchestrator.Api.Contracts.Councils;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Validation;
using Orchestrator.Engine.Councils;
using Orchestrator.Node.Api.Mapping;
using static Orchestrator.Core.Councils.CouncilDirectoryCommands;
using static Orchestrator.Core.Councils.CouncilDirectoryReplies;

namespace Orchestrator.Node.Api;

/// <summary>The council directory over HTTP (<c>orch councils</c>): the councils per role, one council, create a
/// council for a role, delete it. Every call asks the <see cref="CouncilDirectory"/> singleton through its proxy; a
/// refused council changes nothing and is answered with every reason.</summary>
public static class CouncilEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    private const string CreateExample =
        "{\"role\": \"DEV\", \"members\": [{\"name\": \"dev-a\", \"role\": \"DEV\"}, {\"name\": \"qa-a\", \"role\": \"QA\", \"model\": \"tiny\"}], " +
        "\"rounds\": 2, \"selector\": \"rubric\" | \"agent\", \"selectorRole\": \"ARCHITECT\", \"consensus\": \"all_approve\" | \"same_answer\" | \"none\", " +
        "\"rubric\": \"...\", \"memberTimeoutSeconds\": 60}";

    /// <summary>Maps the endpoints under <c>/api/councils</c>.</summary>
    public static void MapCouncilEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/councils", async (IRequiredActor<CouncilDirectory> directory, CancellationToken ct) =>
        {
            var actor = await directory.GetAsync(ct);
            var councils = await PagedReplies.ReadAllAsync(after => actor.Ask<CouncilList>(new ListCouncils(after), AskTimeout, ct), p => p.Councils, p => p.Next);
            return TypedResults.Ok(new CouncilListDto(councils.Select(c => c.ToDto()).ToList()));
        });

        app.MapGet("/api/councils/{role}", async (string role, IRequiredActor<CouncilDirectory> directory, CancellationToken ct) =>
            await (await directory.GetAsync(ct)).Ask<object>(new GetCouncil(role), AskTimeout, ct) switch
            {
                CouncilFound found => Results.Ok(found.Council.ToDto()),
                CouncilNotFound missing => NotFound(missing.Role),
                var other => Unexpected(other),
            }).Produces<CouncilDto>();

        app.MapPost("/api/councils", async (HttpRequest request, IRequiredActor<CouncilDirectory> directory, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<CreateCouncilRequest>(request, CreateExample, ct);
            if (problem is not null) return problem;
            if (string.IsNullOrWhiteSpace(body!.Role))
                return Problems.BadRequest($"The body must name the council's role: {CreateExample}.");
            var problems = new List<string>();
            var selector = Parse(body.Selector, CouncilSelectorKind.Rubric, "selector", problems);
            var consensus = Parse(body.Consensus, CouncilConsensus.AllApprove, "consensus", problems);
            if (body.MemberTimeoutSeconds is { } seconds && !(double.IsFinite(seconds) && seconds is > 0 and <= 86_400))
                problems.Add($"memberTimeoutSeconds must be between 0 and 86400, not {seconds}");
            if (problems.Count > 0) return Problems.BadRequest(Problems.Sentences(problems));

            var spec = new CouncilSpec(Members(body.Members ?? []), body.Rounds ?? 1, selector, Blank(body.SelectorRole), consensus,
                Blank(body.Rubric), MemberTimeout: body.MemberTimeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : null);
            var actor = await directory.GetAsync(ct);
            if (await actor.Ask<object>(new GetCouncil(body.Role), AskTimeout, ct) is CouncilFound)
                return Problems.Conflict($"Role '{body.Role}' has a council already: DELETE /api/councils/{body.Role} first.");
            return await actor.Ask<object>(new CreateCouncil(body.Role, spec), AskTimeout, ct) switch
            {
                CouncilCreated created => Results.Created($"/api/councils/{Uri.EscapeDataString(created.Council.Role)}",
                    created.Council.ToDto()),
                CouncilRejected rejected when rejected.Problems.Any(p => p.Contains("has a council already", StringComparison.Ordinal)) =>
                    Problems.Conflict(Problems.Sentences(rejected.Problems)),
                CouncilRejected rejected => Problems.BadRequest(Problems.Sentences(rejected.Problems)),
                var other => Unexpected(other),
            };
        }).Accepts<CreateCouncilRequest>("application/json").Produces<CouncilDto>(StatusCodes.Status201Created);

        app.MapDelete("/api/councils/{role}", async (string role, IRequiredActor<CouncilDirectory> directory, CancellationToken ct) =>
            await (await directory.GetAsync(ct)).Ask<object>(new DeleteCouncil(role), AskTimeout, ct) switch
            {
                CouncilDeleted deleted => Results.Ok(new DeletedDto(deleted.Role)),
                CouncilNotFound missing => NotFound(missing.Role),
                var other => Unexpected(other),
            }).Produces<DeletedDto>();
    }

    /// <summary>The members as the council holds them: a member without a name is named after its role in lower case,
    /// numbered (<c>dev-1</c>, <c>dev-2</c>) when its role repeats.</summary>
    private static IReadOnlyList<CouncilMember> Members(IReadOnlyList<CouncilMemberRequest> members)
    {
        var repeats = members.GroupBy(m => m.Role ?? "", StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<CouncilMember>();
        for (var i = 0; i < members.Count; i++)
        {
            var m = members[i];
            var role = m.Role?.Trim() ?? "";
            var name = Blank(m.Name);
            if (name is null)
            {
                var stem = role.Length == 0 ? "member" : role.ToLowerInvariant();
                seen[role] = seen.GetValueOrDefault(role) + 1;
                name = repeats.Contains(m.Role ?? "") || role.Length == 0 ? $"{stem}-{seen[role]}" : stem;
            }
            result.Add(new CouncilMember(name, role, Blank(m.Model)));
        }
        return result;
    }

    private static T Parse<T>(string? text, T otherwise, string field, List<string> problems) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text)) return otherwise;
        var compact = text.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (Enum.TryParse<T>(compact, ignoreCase: true, out var value) && Enum.IsDefined(value) && !compact.Any(char.IsDigit)) return value;
        problems.Add($"{field} '{text}' is not one of {string.Join(", ", Enum.GetNames<T>().Select(Snake))}");
        return otherwise;
    }

    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? $"_{char.ToLowerInvariant(c)}" : char.ToLowerInvariant(c).ToString()));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static IResult NotFound(string role) => Problems.NotFound($"No council for role '{InputEcho.Of(role)}' (GET /api/councils lists them).");

    private static IResult Unexpected(object reply) => Problems.UnexpectedReply("The council directory", reply);
}
