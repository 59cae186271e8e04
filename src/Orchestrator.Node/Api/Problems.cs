namespace Orchestrator.Node.Api;

/// <summary>The API's errors as <c>application/problem+json</c> (RFC 9457).</summary>
public static class Problems
{
    /// <summary>400: the request is malformed or invalid; nothing was changed.</summary>
    public static IResult BadRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);

    /// <summary>404: no such thing.</summary>
    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    /// <summary>409: the request conflicts with what is there (a name or role already taken); nothing was changed.</summary>
    public static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    /// <summary>413: the request is larger than a limit of the node, which <paramref name="detail"/> names with its key.</summary>
    public static IResult TooLarge(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large", detail: detail);

    /// <summary>503: the cluster cannot answer now (a member does not respond); the client may try again.</summary>
    public static IResult Unavailable(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", detail: detail);

    /// <summary>500: <paramref name="actor"/> answered with a message the endpoint does not expect.</summary>
    public static IResult UnexpectedReply(string actor, object reply) =>
        Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Unexpected reply",
            detail: $"{actor} answered {reply.GetType().Name}.");

    /// <summary>Reasons as a detail: each as a sentence (capitalized, with a full stop), joined by spaces.</summary>
    public static string Sentences(params IEnumerable<string> reasons) =>
        string.Join(" ", reasons.Select(r => r.Length == 0 ? r : char.ToUpperInvariant(r[0]) + r[1..] + "."));
}
