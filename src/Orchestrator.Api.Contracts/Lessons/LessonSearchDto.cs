namespace Orchestrator.Api.Contracts.Lessons;

/// <summary>The reply of <c>GET /api/lessons/search</c>: the most relevant lessons, best first.</summary>
public sealed record LessonSearchDto(IReadOnlyList<RankedLessonDto> Lessons);
