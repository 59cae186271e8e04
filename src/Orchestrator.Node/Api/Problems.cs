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
}
