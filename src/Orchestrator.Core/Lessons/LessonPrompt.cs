namespace Orchestrator.Core.Lessons;

/// <summary>How lessons are shown to a model: a short section after the task's prompt, one line per lesson.</summary>
public static class LessonPrompt
{
    /// <summary>The heading of the section.</summary>
    public const string Heading = "Lessons from earlier attempts at similar tasks:";

    /// <summary><paramref name="prompt"/> with <paramref name="lessons"/> appended; the prompt itself when there are none.</summary>
    public static string Append(string prompt, IReadOnlyList<Lesson> lessons)
    {
        if (lessons.Count == 0) return prompt;
        var lines = lessons.Select(l => $"- {l.TaskKind}: {l.WhatWentWrong} → what worked: {l.WhatFixedIt}");
        return $"{prompt}\n\n{Heading}\n{string.Join('\n', lines)}";
    }
}
