namespace Orchestrator.Core.GroupChat;

/// <summary>What a group chat's transcript entry records.</summary>
public enum ChatEntryKind
{
    /// <summary>The selector named the speaker of a turn.</summary>
    SpeakerChosen,
    /// <summary>A participant spoke.</summary>
    Turn,
    /// <summary>The judge's verdict after a turn: done or not, and why.</summary>
    Verdict,
    /// <summary>The summarizer folded older turns into a summary.</summary>
    Summary,
    /// <summary>A participant (or the selector, judge or summarizer) failed or timed out; a participant is dropped.</summary>
    ParticipantFailed,
    /// <summary>The chat ended, and why.</summary>
    Ended,
}

/// <summary>One entry of a group chat's transcript, persisted with the session and streamed as it is written.</summary>
public sealed record ChatEntry(ChatEntryKind Kind, int Turn, string Speaker, string? Text = null, bool? Done = null);

/// <summary>What a group chat asks of an agent.</summary>
public enum ChatStep
{
    /// <summary>The selector names the next speaker.</summary>
    ChooseSpeaker,
    /// <summary>The speaker speaks.</summary>
    Speak,
    /// <summary>The judge says whether the conversation is done.</summary>
    Judge,
    /// <summary>The summarizer folds older turns.</summary>
    Summarize,
}

/// <summary>A request to one agent of a group chat; its reply is held to <see cref="JsonSchema"/> when given.</summary>
public sealed record ChatRequest(ChatStep Step, int Turn, Orchestrator.Core.Councils.CouncilMember Agent, string Prompt, string? JsonSchema)
{
    /// <summary>A stable key of this request in its chat: <c>turn/step/agent</c>.</summary>
    public string Key => $"{Turn}/{Step.ToString().ToLowerInvariant()}/{Agent.Name}";
}

/// <summary>What a group chat does next.</summary>
public abstract record ChatAction
{
    private ChatAction() { }

    /// <summary>Ask this agent; its reply (or failure) becomes an entry to apply.</summary>
    public sealed record Ask(ChatRequest Request) : ChatAction;

    /// <summary>Record this entry and apply it.</summary>
    public sealed record Record(ChatEntry Entry) : ChatAction;

    /// <summary>The chat is over.</summary>
    public sealed record Finished(ChatOutcome Outcome) : ChatAction;
}

/// <summary>How a group chat ended: its transcript as the node's output, why it ended, and whether anyone spoke.</summary>
public sealed record ChatOutcome(bool Succeeded, string Transcript, string Reason);
