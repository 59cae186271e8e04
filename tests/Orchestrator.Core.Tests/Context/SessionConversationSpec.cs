using Orchestrator.Core.Context;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;

namespace Orchestrator.Core.Tests.Context;

public class SessionConversationSpec
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyDictionary<TaskId, TaskState> Tasks = new Dictionary<TaskId, TaskState>
    {
        [TaskId.Parse("draft")] = Task("draft", "writer"),
        [TaskId.Parse("review")] = Task("review", "critic"),
        [TaskId.Parse("final")] = Task("final", "editor"),
    };

    private static TaskState Task(string id, string role) =>
        new(new PlannedTask(TaskId.Parse(id), role, "p", [], 0, TimeSpan.FromMinutes(1), 0, null, null, null), TaskRunState.Succeeded, 0);

    private static SessionCreated Created(SessionContextSettings? context) =>
        new(SessionId.Parse("s"), new ResolvedWorkflow("t", ["t"], [], SessionSettings.Defaults with { Context = context }, new Dictionary<string, string>()),
            new Dictionary<string, string>(), At);

    private static TaskSucceeded Success(string task, string output) => new(SessionId.Parse("s"), TaskId.Parse(task), 1, output, 10, TimeSpan.FromSeconds(1), At);

    private static SessionConversation Fold(SessionContextSettings? context, params IPersistedEvent[] events) =>
        events.Aggregate(SessionConversation.Empty.Apply(Created(context), Tasks), (c, e) => c.Apply(e, Tasks));

    private static SessionContextSettings Shared(int maxChars = 12_000, string? language = null) =>
        new(true, new ContextSettings(MaxChars: maxChars, Language: language));

    [Fact]
    public void With_history_shared_each_success_is_a_turn_named_by_its_task_and_role()
    {
        var conversation = Fold(Shared(), Success("draft", "first draft"), Success("review", "too long"));

        Assert.Equal([new ContextTurn("draft (writer)", "first draft"), new ContextTurn("review (critic)", "too long")], conversation.Turns);
    }

    [Fact]
    public void Without_shared_history_no_turn_is_kept()
    {
        var conversation = Fold(new SessionContextSettings(false, new ContextSettings(Language: "French")), Success("draft", "first draft"));

        Assert.Empty(conversation.Turns);
        Assert.Empty(Fold(null, Success("draft", "first draft")).Turns);
    }

    [Fact]
    public void A_summary_replaces_the_turns_it_folded_and_later_turns_follow_it()
    {
        var conversation = Fold(Shared(), Success("draft", "first draft"), Success("review", "too long"),
            new ContextSummarized(SessionId.Parse("s"), " a draft was judged too long ", 1, At), Success("final", "shorter"));

        Assert.Equal("a draft was judged too long", conversation.Summary);
        Assert.Equal(["review (critic)", "final (editor)"], conversation.Turns.Select(t => t.Speaker));
        var prompt = conversation.Compose("Write the blurb.", Shared());
        Assert.Contains("Summary of earlier turns: a draft was judged too long", prompt);
        Assert.DoesNotContain("first draft", prompt);
    }

    [Fact]
    public void Without_context_settings_the_prompt_is_left_as_it_is()
    {
        var conversation = Fold(null, Success("draft", "first draft"));

        Assert.Equal("Write the blurb.", conversation.Compose("Write the blurb.", null));
    }

    [Fact]
    public void A_later_prompt_carries_the_earlier_outputs_and_the_language_line()
    {
        var conversation = Fold(Shared(language: "French"), Success("draft", "first draft"), Success("review", "too long"));

        var prompt = conversation.Compose("Write the blurb.", Shared(language: "French"));

        Assert.Equal("Write the blurb.\nWrite your reply in French.\nConversation so far:\n[draft (writer)] first draft\n[review (critic)] too long", prompt);
    }

    [Fact]
    public void The_language_line_is_added_even_without_history()
    {
        var settings = new SessionContextSettings(false, new ContextSettings(Language: "German"));

        Assert.Equal("Write the blurb.\nWrite your reply in German.", SessionConversation.Empty.Compose("Write the blurb.", settings));
    }

    [Fact]
    public void The_whole_prompt_never_exceeds_the_hard_limit_and_the_newest_turns_stay()
    {
        var settings = Shared(maxChars: 300, language: "French");
        var conversation = Fold(settings, Success("draft", new string('a', 250)), Success("review", new string('b', 120)),
            Success("final", "the newest"));

        var prompt = conversation.Compose("Write the blurb.", settings);

        Assert.True(prompt.Length <= 300, $"{prompt.Length} characters");
        Assert.StartsWith("Write the blurb.\nWrite your reply in French.\nConversation so far:", prompt);
        Assert.EndsWith("[final (editor)] the newest", prompt);
        Assert.DoesNotContain(new string('a', 50), prompt);
    }

    [Fact]
    public void A_task_prompt_longer_than_the_limit_is_cut_but_keeps_its_language_line()
    {
        var settings = Shared(maxChars: 200, language: "French");
        var conversation = Fold(settings, Success("draft", "first draft"));

        var prompt = conversation.Compose(new string('x', 500), settings);

        Assert.True(prompt.Length <= 200, $"{prompt.Length} characters");
        Assert.EndsWith("Write your reply in French.", prompt);
    }

    [Fact]
    public void Past_the_size_the_oldest_turns_are_handed_to_the_summarizer()
    {
        var limits = new ContextSettings(SummarizeAboveChars: 200, SummarizerRole: "editor", KeepRecentTurns: 1);
        var settings = new SessionContextSettings(true, limits);
        var conversation = Fold(settings, Success("draft", new string('a', 150)), Success("review", new string('b', 150)));

        Assert.Equal(["draft (writer)"], conversation.In(limits).NeedsSummary.Select(t => t.Speaker));
    }
}
