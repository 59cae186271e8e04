namespace Orchestrator.Api.Contracts.Lessons;

/// <summary>What an agent learned once: at a kind of task, what went wrong and what fixed it; <see cref="Trigger"/> is
/// <c>failure</c> or <c>critique</c>, <see cref="Text"/> what is indexed.</summary>
public sealed record LessonDto(
    string Id,
    string TaskKind,
    string WhatWentWrong,
    string WhatFixedIt,
    string Trigger,
    string? SessionId,
    string? TaskId,
    DateTimeOffset At,
    string Text);
