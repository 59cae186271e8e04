using Orchestrator.Core.Lessons;

namespace Orchestrator.Core.Tests.Lessons;

public class LessonPromptSpec
{
    private static Lesson Learned(string id, string wrong, string fixedIt) =>
        new(id, "summary", wrong, fixedIt, Lesson.FromFailure, "s", "t", DateTimeOffset.UnixEpoch);

    private static readonly Lesson[] Lessons = [Learned("1", "reply was not JSON", "a JSON object"), Learned("2", "too long", "three sentences")];

    [Fact]
    public void Lessons_follow_the_prompt_under_a_heading_one_line_each_best_first()
    {
        Assert.Equal(
            "Summarize.\n\n" + LessonPrompt.Heading + "\n- summary: reply was not JSON → what worked: a JSON object\n- summary: too long → what worked: three sentences",
            LessonPrompt.Append("Summarize.", Lessons));
        Assert.Equal("Summarize.", LessonPrompt.Append("Summarize.", []));
    }

    [Fact]
    public void Under_a_limit_only_the_whole_lessons_that_fit_are_appended()
    {
        var all = LessonPrompt.Append("Summarize.", Lessons);
        var first = LessonPrompt.Append("Summarize.", Lessons[..1]);

        Assert.Equal(all, LessonPrompt.Append("Summarize.", Lessons, all.Length));
        Assert.Equal(first, LessonPrompt.Append("Summarize.", Lessons, all.Length - 1));
        Assert.Equal(first, LessonPrompt.Append("Summarize.", Lessons, first.Length));
        Assert.Equal("Summarize.", LessonPrompt.Append("Summarize.", Lessons, first.Length - 1));
    }

    [Fact]
    public void A_prompt_already_at_the_limit_gets_no_lessons()
    {
        var prompt = new string('x', 200);
        Assert.Equal(prompt, LessonPrompt.Append(prompt, Lessons, 200));
    }
}
