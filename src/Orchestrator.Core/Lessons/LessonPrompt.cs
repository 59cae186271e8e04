namespace Orchestrator.Core.Lessons;

/// <summary>How lessons are shown to a model: a short section after the task's prompt, one line per lesson.</summary>
public static class LessonPrompt
{
    /// <summary>The heading of the section.</summary>
    public const string Heading = "Lessons from earlier attempts at similar tasks:";

    /// <summary><paramref name="prompt"/> with <paramref name="lessons"/> appended, best first; the prompt itself when
    /// there are none. With <paramref name="maxChars"/> (a session's hard limit on a prompt) only the whole lessons that
    /// fit after the prompt are appended, and none when not even the first fits: the limit is never passed by them.</summary>
    public static string Append(string prompt, IReadOnlyList<Lesson> lessons, int? maxChars = null)
    {
        var section = $"{prompt}\n\n{Heading}";
        var lines = new List<string>(lessons.Count);
        var length = section.Length;
        foreach (var line in lessons.Select(l => $"- {l.TaskKind}: {l.WhatWentWrong} → what worked: {l.WhatFixedIt}"))
        {
            if (length + 1 + line.Length > maxChars) break;
            lines.Add(line);
            length += 1 + line.Length;
        }
        return lines.Count == 0 ? prompt : $"{section}\n{string.Join('\n', lines)}";
    }
}
