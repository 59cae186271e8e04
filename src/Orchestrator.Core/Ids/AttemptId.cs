using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Orchestrator.Core.Ids;

/// <summary>One attempt of one task of one session. As text (<see cref="ToString"/>) it is the id of the model request
/// the attempt makes, <c>session/task/attempt</c>; a council or group chat attempt makes several, each with its own
/// key after it (<see cref="Part"/>). <see cref="TryParse"/> reads both back. The one place these ids are built.</summary>
public readonly record struct AttemptId(SessionId Session, TaskId Task, int Attempt)
{
    /// <summary>The attempt of <paramref name="task"/> numbered <paramref name="attempt"/> in
    /// <paramref name="session"/>, from their text (an <see cref="ArgumentException"/> when one is not valid).</summary>
    public static AttemptId Of(string session, string task, int attempt) =>
        attempt < 1
            ? throw new ArgumentOutOfRangeException(nameof(attempt), attempt, "attempts are numbered from 1")
            : Of(SessionId.Parse(session), TaskId.Parse(task), attempt);

    /// <summary>The attempt of <paramref name="task"/> numbered <paramref name="attempt"/> in <paramref name="session"/>.</summary>
    public static AttemptId Of(SessionId session, TaskId task, int attempt) =>
        attempt < 1
            ? throw new ArgumentOutOfRangeException(nameof(attempt), attempt, "attempts are numbered from 1")
            : new(session, task, attempt);

    /// <summary>The id of the request for <paramref name="key"/> within this attempt (a council's round, step and
    /// member, say): <c>session/task/attempt/key</c>.</summary>
    public string Part(string key) => $"{this}/{key}";

    /// <summary>The attempt a request id names, and the key after it (null for the attempt's own request).</summary>
    public static bool TryParse([NotNullWhen(true)] string? requestId, out AttemptId id, out string? key)
    {
        id = default;
        key = null;
        var parts = requestId?.Split('/', 4);
        if (parts is not { Length: >= 3 }
            || !SessionId.TryParse(parts[0], out var session) || !TaskId.TryParse(parts[1], out var task)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) || attempt < 1)
            return false;
        id = new AttemptId(session, task, attempt);
        key = parts.Length == 4 ? parts[3] : null;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Session}/{Task}/{Attempt.ToString(CultureInfo.InvariantCulture)}";
}
