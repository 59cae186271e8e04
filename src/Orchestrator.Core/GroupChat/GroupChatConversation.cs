using System.Collections.Immutable;
using System.Text.Json;
using Orchestrator.Core.Context;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Protocol;

namespace Orchestrator.Core.GroupChat;

/// <summary>A group chat as a pure state machine over its transcript: each turn a speaker is chosen (round-robin, or
/// by the selector agent), speaks, and the chat ends on the stop phrase, the turn limit or the judge's verdict.
/// Older turns are summarized by the summarizer agent past the context's size; a participant that fails is dropped
/// and recorded. <see cref="Next"/> says what to do; <see cref="Apply"/> folds an entry; replaying the same entries
/// gives the same state.</summary>
public sealed record GroupChatConversation
{
    /// <summary>Names the helper agents speak under in the transcript.</summary>
    public const string SelectorName = "selector", JudgeName = "judge", SummarizerName = "summarizer", ChatName = "chat";

    private const string SpeakerSchemaStart = """{"type":"object","properties":{"speaker":{"type":"string","enum":[""";
    private const string VerdictSchema =
        """{"type":"object","properties":{"done":{"type":"boolean"},"reason":{"type":"string","maxLength":200}},"required":["done","reason"]}""";
    private const string SummarySchema =
        """{"type":"object","properties":{"summary":{"type":"string","maxLength":1200}},"required":["summary"]}""";

    private GroupChatConversation(GroupChatSpec spec, string task)
    {
        Spec = spec;
        Task = task;
        Active = [.. spec.Participants.Select(p => p.Name)];
        Context = SessionContext.Start(spec.Context);
    }

    /// <summary>The chat as written.</summary>
    public GroupChatSpec Spec { get; }

    /// <summary>The task the participants talk about.</summary>
    public string Task { get; }

    /// <summary>The conversation as prompts quote it (summary and recent turns).</summary>
    public SessionContext Context { get; private init; }

    /// <summary>The turn about to be taken (1-based).</summary>
    public int Turn { get; private init; } = 1;

    /// <summary>Participants still talking, in order.</summary>
    public ImmutableList<string> Active { get; private init; }

    /// <summary>Every turn taken, in full.</summary>
    public ImmutableList<ContextTurn> Spoken { get; private init; } = [];

    /// <summary>Every entry applied.</summary>
    public ImmutableList<ChatEntry> Transcript { get; private init; } = [];

    /// <summary>The outcome once the chat has ended.</summary>
    public ChatOutcome? Outcome { get; private init; }

    private string? Chosen { get; init; }
    private bool SelectorFailed { get; init; }
    private bool SummarizerFailed { get; init; }
    private int JudgedTurn { get; init; }
    private bool JudgedDone { get; init; }
    private string? JudgeReason { get; init; }

    /// <summary>A chat about to start on <paramref name="task"/>.</summary>
    public static GroupChatConversation Start(GroupChatSpec spec, string task) => new(spec, task);

    /// <summary>The state after replaying <paramref name="transcript"/>.</summary>
    public static GroupChatConversation Replay(GroupChatSpec spec, string task, IEnumerable<ChatEntry> transcript) =>
        transcript.Aggregate(Start(spec, task), (s, e) => s.Apply(e));

    /// <summary>What to do now.</summary>
    public ChatAction Next()
    {
        if (Outcome is { } outcome) return new ChatAction.Finished(outcome);
        if (Spoken.Count > 0)
        {
            var last = Spoken[^1];
            if (Spec.StopPhrase is { Length: > 0 } phrase && last.Text.Contains(phrase, StringComparison.OrdinalIgnoreCase))
                return End($"{last.Speaker} said the stop phrase '{phrase}'");
            if (Spoken.Count >= Spec.MaxTurns) return End($"the turn limit ({Spec.MaxTurns}) was reached");
            if (Spec.JudgeRole is { } judge && JudgedTurn < Spoken.Count)
                return Ask(ChatStep.Judge, new CouncilMember(JudgeName, judge), Context.Compose(
                    "You judge a group chat. Is the task below done, so that the conversation can end? " +
                    "Reply with JSON: {\"done\": true or false, \"reason\": \"why\"}.",
                    $"Task:\n{Task}\n\nConversation:\n{Context.Render(Context.Settings.MaxChars)}"), VerdictSchema);
            if (JudgedDone && JudgedTurn == Spoken.Count) return End($"the judge found it done: {JudgeReason}");
        }
        if (Active.Count == 0) return End("no participant is left");
        if (!SummarizerFailed && Context.NeedsSummary.Count > 0 && Spec.Context?.SummarizerRole is { } summarizer)
            return Ask(ChatStep.Summarize, new CouncilMember(SummarizerName, summarizer), Context.SummaryPrompt(), SummarySchema);
        if (Spec.Speaker == SpeakerSelection.Selector && Chosen is null && !SelectorFailed && Spec.SelectorRole is { } selector)
            return Ask(ChatStep.ChooseSpeaker, new CouncilMember(SelectorName, selector), Context.Compose(
                $"You moderate a group chat of {string.Join(", ", Active)}. Who should speak next to move the task forward? " +
                "Reply with JSON: {\"speaker\": \"a participant's name\"}.",
                $"Task:\n{Task}\n\nConversation:\n{Context.Render(Context.Settings.MaxChars)}"),
                SpeakerSchemaStart + string.Join(",", Active.Select(a => JsonSerializer.Serialize(a))) + """]}},"required":["speaker"]}""");
        var speaker = Spec.Participants.First(p => p.Name == (Chosen ?? Active[(Turn - 1) % Active.Count]));
        var others = string.Join(", ", Spec.Participants.Where(p => p.Name != speaker.Name).Select(p => p.Name));
        return Ask(ChatStep.Speak, speaker, Context.Compose(
            $"You are {speaker.Name} ({speaker.Role}) in a group chat with {others}. Continue the conversation on the task: " +
            "add what moves it forward, briefly." +
            (Spec.StopPhrase is { } stop ? $" When the task is done, say {stop}." : ""),
            $"Task:\n{Task}\n\nConversation so far:\n{Context.Render(Context.Settings.MaxChars)}"), null);
    }

    /// <summary>The state after <paramref name="entry"/>; an entry that does not fit the current turn changes nothing.</summary>
    public GroupChatConversation Apply(ChatEntry entry)
    {
        if (Outcome is not null) return this;
        GroupChatConversation? s = entry.Kind switch
        {
            ChatEntryKind.SpeakerChosen when entry.Turn == Turn && Active.Contains(entry.Speaker) => this with { Chosen = entry.Speaker },
            ChatEntryKind.Turn when entry.Turn == Turn && Active.Contains(entry.Speaker) => this with
            {
                Spoken = Spoken.Add(new ContextTurn(entry.Speaker, entry.Text ?? "")),
                Context = Context.Add(new ContextTurn(entry.Speaker, entry.Text ?? "")),
                Turn = Turn + 1,
                Chosen = null,
                SelectorFailed = false,
            },
            ChatEntryKind.Verdict when entry.Turn == Spoken.Count =>
                this with { JudgedTurn = entry.Turn, JudgedDone = entry.Done == true, JudgeReason = entry.Text },
            ChatEntryKind.Summary when entry.Turn == Turn && Context.NeedsSummary.Count > 0 =>
                this with { Context = Context.Summarized(entry.Text ?? "", Context.NeedsSummary.Count) },
            ChatEntryKind.ParticipantFailed when entry.Speaker == SelectorName => this with { SelectorFailed = true },
            ChatEntryKind.ParticipantFailed when entry.Speaker == JudgeName => this with { JudgedTurn = Spoken.Count, JudgedDone = false },
            ChatEntryKind.ParticipantFailed when entry.Speaker == SummarizerName => this with { SummarizerFailed = true },
            ChatEntryKind.ParticipantFailed when Active.Contains(entry.Speaker) =>
                this with { Active = Active.Remove(entry.Speaker), Chosen = Chosen == entry.Speaker ? null : Chosen },
            ChatEntryKind.Ended => this with
            {
                Outcome = new ChatOutcome(Spoken.Count > 0, string.Join("\n\n", Spoken.Select(t => $"[{t.Speaker}] {t.Text}")), entry.Text ?? ""),
            },
            _ => null,
        };
        return s is null ? this : s with { Transcript = Transcript.Add(entry) };
    }

    /// <summary>Reads an agent's reply to <paramref name="request"/> into an entry; a reply that cannot be read is a
    /// failure of that agent.</summary>
    public ChatEntry Read(ChatRequest request, string raw)
    {
        switch (request.Step)
        {
            case ChatStep.Speak:
                var text = raw.Trim();
                return text.Length == 0 ? Failure(request, "it said nothing") : new ChatEntry(ChatEntryKind.Turn, request.Turn, request.Agent.Name, text);
            case ChatStep.ChooseSpeaker:
                return Field(raw, "speaker") is { } speaker && Active.Contains(speaker)
                    ? new ChatEntry(ChatEntryKind.SpeakerChosen, request.Turn, speaker)
                    : Failure(request, "it named no participant still talking");
            case ChatStep.Judge:
                {
                    using var doc = JsonExtraction.Extract(raw, []);
                    if (doc is not { RootElement.ValueKind: JsonValueKind.Object } || !doc.RootElement.TryGetProperty("done", out var d)
                        || d.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                        return Failure(request, "its verdict holds no JSON object with done = true or false");
                    return new ChatEntry(ChatEntryKind.Verdict, Spoken.Count, JudgeName, Field(raw, "reason") ?? "", d.GetBoolean());
                }
            default:
                var summary = Field(raw, "summary") ?? raw.Trim();
                return summary.Length == 0 ? Failure(request, "its summary is empty") : new ChatEntry(ChatEntryKind.Summary, request.Turn, SummarizerName, summary);
        }
    }

    /// <summary>The entry recording that <paramref name="request"/>'s agent failed for <paramref name="reason"/>.</summary>
    public static ChatEntry Failure(ChatRequest request, string reason) =>
        new(ChatEntryKind.ParticipantFailed, request.Turn, request.Agent.Name, reason);

    private ChatAction.Ask Ask(ChatStep step, CouncilMember agent, string prompt, string? schema) =>
        new(new ChatRequest(step, step == ChatStep.Judge ? Spoken.Count : Turn, agent, prompt, schema));

    private static ChatAction.Record End(string reason) => new(new ChatEntry(ChatEntryKind.Ended, 0, ChatName, reason));

    private static string? Field(string raw, string name)
    {
        using var doc = JsonExtraction.Extract(raw, []);
        return doc is { RootElement.ValueKind: JsonValueKind.Object } && doc.RootElement.TryGetProperty(name, out var v)
               && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}
