using Akka.Actor;
using Microsoft.AspNetCore.Diagnostics;

namespace Orchestrator.Node.Api;

/// <summary>Answers a request whose actor did not answer in time (<see cref="AskTimeoutException"/>) with a 503 the client
/// may retry (<c>Retry-After</c>), instead of a bare 500: the answer is held by a session or a singleton on a member that
/// does not respond, typically one that died and is not yet removed, after which its sessions move to a survivor.</summary>
public sealed class UnansweredAskHandler : IExceptionHandler
{
    /// <summary>Seconds a client is told to wait before it tries again: about a failover's length.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>Writes the 503 for an <see cref="AskTimeoutException"/>; leaves every other exception to the next handler.</summary>
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not AskTimeoutException) return false;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Problems.Unavailable("The cluster did not answer in time: what holds the answer (a session, the agent registry, the " +
                                   "lesson store) is on a member that does not respond. A session on a member that died goes on on " +
                                   "another within seconds: try again.").ExecuteAsync(httpContext);
        return true;
    }
}
