using Orchestrator.Api.Contracts.Lessons;
using Orchestrator.Core.Lessons;
using static Orchestrator.Core.Lessons.LessonReplies;

namespace Orchestrator.Node.Api.Mapping;

/// <summary>The lesson store's replies as the API's contracts.</summary>
internal static class LessonViews
{
    public static LessonDto ToDto(this Lesson l) =>
        new(l.Id, l.TaskKind, l.WhatWentWrong, l.WhatFixedIt, l.Trigger, l.SessionId, l.TaskId, l.At, l.Text);

    public static LessonListDto ToDto(this LessonList list) => new(list.Total, list.Lessons.Select(ToDto).ToList());

    /// <summary>A found lesson with its score rounded to 4 decimals.</summary>
    public static RankedLessonDto ToDto(this RankedLesson r) => new(r.Lesson.Id, r.Lesson.TaskKind, r.Lesson.WhatWentWrong,
        r.Lesson.WhatFixedIt, r.Lesson.Trigger, r.Lesson.SessionId, r.Lesson.TaskId, r.Lesson.At, Math.Round(r.Score, 4));
}
