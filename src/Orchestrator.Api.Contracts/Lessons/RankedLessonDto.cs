namespace Orchestrator.Api.Contracts.Lessons;

/// <summary>A lesson found by a search, with its relevance (BM25).</summary>
public sealed record RankedLessonDto(
    string Id,
    string TaskKind,
    string WhatWentWrong,
    string WhatFixedIt,
    string Trigger,
    string? SessionId,
    string? TaskId,
    DateTimeOffset At,
    double Score);
