using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Lessons;

/// <summary>What the lesson store (<c>/user/lessons</c>, a cluster singleton) is asked to do.</summary>
public static class LessonCommands
{
    /// <summary>Longest text a candidate carries per field; the policy keeps a shorter excerpt.</summary>
    public const int MaxCandidateChars = 2000;

    /// <summary>A candidate lesson: a task of <see cref="TaskKind"/> succeeded after <see cref="Failures"/> failed attempts
    /// (trigger <c>failure</c>) or after a critique (trigger <c>critique</c>). The store keeps it if the policy's criteria
    /// hold; answered <see cref="LessonReplies.LessonAccepted"/> or <see cref="LessonReplies.LessonRefused"/> (sessions
    /// tell it and ignore the answer).</summary>
    public sealed record RecordLesson(
        string TaskKind,
        string WhatWentWrong,
        string WhatFixedIt,
        string Trigger,
        int Failures,
        string? SessionId,
        string? TaskId,
        DateTimeOffset At) : IClusterMessage;

    /// <summary>Deletes a lesson; answered <see cref="LessonReplies.LessonDeleted"/> or <see cref="LessonReplies.LessonNotFound"/>.</summary>
    public sealed record DeleteLesson(string Id) : IClusterMessage;

    /// <summary>Clips a text to <see cref="MaxCandidateChars"/>, for a candidate that may cross nodes.</summary>
    public static string Clip(string text) => text.Length <= MaxCandidateChars ? text : text[..MaxCandidateChars];

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("record-lesson.v1", typeof(RecordLesson)),
        new("delete-lesson.v1", typeof(DeleteLesson)),
    ];
}
