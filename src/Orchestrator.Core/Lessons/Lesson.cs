namespace Orchestrator.Core.Lessons;

/// <summary>What an agent learned once: at a kind of task, what went wrong (a failure's reason, or a critique) and what
/// fixed it (an excerpt of the reply that then succeeded). <see cref="Trigger"/> is <c>failure</c> or <c>critique</c>.</summary>
public sealed record Lesson(
    string Id,
    string TaskKind,
    string WhatWentWrong,
    string WhatFixedIt,
    string Trigger,
    string? SessionId,
    string? TaskId,
    DateTimeOffset At)
{
    /// <summary>A lesson learned from a failed attempt.</summary>
    public const string FromFailure = "failure";

    /// <summary>A lesson learned from an iteration's critique.</summary>
    public const string FromCritique = "critique";

    /// <summary>The text that is indexed and ranked.</summary>
    public string Text => $"{TaskKind} {WhatWentWrong} {WhatFixedIt}";
}
