using Orchestrator.Core.Context;

namespace Orchestrator.Core.Tests.Context;

public class SessionContextSpec
{
    private static SessionContext With(ContextSettings settings, int turns, int length = 50) =>
        Enumerable.Range(1, turns).Aggregate(SessionContext.Start(settings),
            (c, i) => c.Add(new ContextTurn($"s{i}", new string((char)('a' + i % 26), length))));

    [Fact]
    public void Nothing_is_summarized_within_the_size()
    {
        var context = With(new ContextSettings(SummarizeAboveChars: 1000, SummarizerRole: "editor"), turns: 5);

        Assert.Empty(context.NeedsSummary);
    }

    [Fact]
    public void Past_the_size_all_but_the_recent_turns_are_handed_to_the_summarizer()
    {
        var context = With(new ContextSettings(SummarizeAboveChars: 200, SummarizerRole: "editor", KeepRecentTurns: 2), turns: 6);

        Assert.Equal(["s1", "s2", "s3", "s4"], context.NeedsSummary.Select(t => t.Speaker));
        Assert.Contains("[s1]", context.SummaryPrompt());

        var summarized = context.Summarized("  the gist  ", 4);
        Assert.Equal("the gist", summarized.Summary);
        Assert.Equal(["s5", "s6"], summarized.History.Select(t => t.Speaker));
        Assert.Empty(summarized.NeedsSummary);
    }

    [Fact]
    public void Without_a_summarizer_nothing_is_summarized()
    {
        Assert.Empty(With(new ContextSettings(SummarizeAboveChars: 10), turns: 6).NeedsSummary);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(500)]
    [InlineData(1000)]
    public void A_composed_prompt_never_exceeds_the_hard_limit(int max)
    {
        var context = With(new ContextSettings(MaxChars: max, Language: "French"), turns: 40).Summarized(new string('z', 3000), 10);

        var prompt = context.Compose("Continue the conversation.", context.Render(max));

        Assert.True(prompt.Length <= max, $"{prompt.Length} > {max}");
        Assert.StartsWith("Continue the conversation.\nWrite your reply in French.", prompt);
    }

    [Fact]
    public void Rendering_keeps_the_newest_turns_and_marks_what_was_left_out()
    {
        var context = With(ContextSettings.Default, turns: 10, length: 20);

        var text = context.Render(120);

        Assert.True(text.Length <= 120);
        Assert.Contains("[s10]", text);
        Assert.DoesNotContain("[s1]", text);
        Assert.StartsWith("[…]", text);
    }

    [Fact]
    public void Without_a_language_there_is_no_language_line()
    {
        Assert.Null(SessionContext.Start().LanguageLine);
        Assert.Equal("do it", SessionContext.Start().Compose("do it", ""));
    }

    [Fact]
    public void Clip_keeps_the_start_and_the_end()
    {
        var clipped = SessionContext.Clip("abcdefghijklmnopqrstuvwxyz", 10);

        Assert.Equal(10, clipped.Length);
        Assert.StartsWith("abc", clipped);
        Assert.EndsWith("xyz", clipped);
    }
}
