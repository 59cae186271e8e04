namespace Orchestrator.Api.Contracts.Lessons;

/// <summary>A page of <c>GET /api/lessons</c>, newest first, with how many lessons there are in all.</summary>
public sealed record LessonListDto(int Total, IReadOnlyList<LessonDto> Lessons);
