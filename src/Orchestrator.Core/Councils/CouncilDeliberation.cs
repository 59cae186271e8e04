using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Core.Context;

namespace Orchestrator.Core.Councils;

/// <summary>What a council does next: make some requests, record a decision it takes itself (consensus, the
/// rubric's winner, a failure), or nothing more (finished).</summary>
public abstract record CouncilAction
{
    private CouncilAction() { }

    /// <summary>Ask these agents; each reply (or failure) becomes an entry to <see cref="CouncilDeliberation.Apply"/>.</summary>
    public sealed record Ask(IReadOnlyList<CouncilRequest> Requests) : CouncilAction;

    /// <summary>Record this entry (persist it, stream it) and apply it.</summary>
    public sealed record Record(CouncilEntry Entry) : CouncilAction;

    /// <summary>The council is over: a winner, or a failure.</summary>
    public sealed record Finished(CouncilOutcome Outcome) : CouncilAction;
}

/// <summary>How a council ended: the <see cref="Winner"/> and its answer, or a failure with the reason.</summary>
public sealed record CouncilOutcome(string? Winner, string? Answer, string Reason)
{
    /// <summary>A winner was selected.</summary>
    public bool Succeeded => Winner is not null;
}

/// <summary>A council's deliberation as a pure state machine over its transcript: every member generates in
/// parallel; each round every member critiques every other answer, then revises its own; a selector agent or the
/// rubric picks the winner. <see cref="Next"/> says what to do; <see cref="Apply"/> folds one entry (a reply read into
/// an entry, or a decision <see cref="Next"/> asked to record). A member that fails is dropped and recorded; fewer than
/// two members left fails the council. Replaying the same entries always gives the same state, so a council restarted
/// from its persisted transcript goes on from where it was, never repeating a completed step.</summary>
public sealed record CouncilDeliberation
{
    /// <summary>The name the selector agent speaks under in the transcript; no member may take it.</summary>
    public const string SelectorName = "selector";

    /// <summary>The name under which the council's own decisions (consensus, failure, rubric) are recorded.</summary>
    public const string CouncilName = "council";

    private CouncilDeliberation(CouncilSpec spec, string task, SessionContext context)
    {
        Spec = spec;
        Task = task;
        Context = context;
        Active = [.. spec.Members.Select(m => m.Name)];
    }

    /// <summary>The council: its members in order (the order breaks ties), rounds, selector and consensus rule.</summary>
    public CouncilSpec Spec { get; }

    /// <summary>The task as rendered for this attempt.</summary>
    public string Task { get; }

    /// <summary>The context rules prompts are composed with (character limit, language).</summary>
    public SessionContext Context { get; }

    /// <summary>The step now running.</summary>
    public CouncilStep Step { get; private init; } = CouncilStep.Generate;

    /// <summary>The round now running (generation belongs to round 1).</summary>
    public int Round { get; private init; } = 1;

    /// <summary>Members still deliberating, in council order.</summary>
    public ImmutableList<string> Active { get; private init; }

    /// <summary>Members dropped, with the reason.</summary>
    public ImmutableDictionary<string, string> Dropped { get; private init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Each member's latest answer.</summary>
    public ImmutableDictionary<string, string> Answers { get; private init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Every critique recorded, in order.</summary>
    public ImmutableList<CouncilEntry> Critiques { get; private init; } = [];

    /// <summary>Every entry applied, in order: the transcript.</summary>
    public ImmutableList<CouncilEntry> Transcript { get; private init; } = [];

    /// <summary>The council agreed early.</summary>
    public bool ConsensusReached { get; private init; }

    /// <summary>The outcome once the council is over.</summary>
    public CouncilOutcome? Outcome { get; private init; }

    private ImmutableHashSet<string> Answered { get; init; } = [];
    private bool SelectorFailed { get; init; }

    /// <summary>A council about to deliberate on <paramref name="task"/>.</summary>
    public static CouncilDeliberation Start(CouncilSpec spec, string task, SessionContext? context = null) =>
        new(spec, task, context ?? SessionContext.Start());

    /// <summary>The state after replaying <paramref name="transcript"/> from the start.</summary>
    public static CouncilDeliberation Replay(CouncilSpec spec, string task, IEnumerable<CouncilEntry> transcript, SessionContext? context = null) =>
        transcript.Aggregate(Start(spec, task, context), (s, e) => s.Apply(e));

    /// <summary>What to do now.</summary>
    public CouncilAction Next()
    {
        if (Outcome is { } outcome) return new CouncilAction.Finished(outcome);
        if (Active.Count < 2)
            return Decide(CouncilEntryKind.Failed, CouncilName,
                $"fewer than two answers: {Active.Count} member(s) left of {Spec.Members.Count} ({DroppedText()})");
        var pending = Pending();
        if (pending.Count > 0) return new CouncilAction.Ask(pending);
        // The step is complete and no structural move is left (Apply makes those): a decision is due.
        return Step switch
        {
            CouncilStep.Generate or CouncilStep.Revise when !ConsensusReached && SameAnswers() =>
                Decide(CouncilEntryKind.Consensus, CouncilName, "every member gave the same answer"),
            CouncilStep.Critique when !ConsensusReached && AllApprove() =>
                Decide(CouncilEntryKind.Consensus, CouncilName, $"every critique of round {Round} approves"),
            _ => RubricSelection(),
        };
    }

    /// <summary>The state after <paramref name="entry"/>; an entry that does not fit (a step already over, a member
    /// dropped or unknown) changes nothing.</summary>
    public CouncilDeliberation Apply(CouncilEntry entry)
    {
        if (Outcome is not null) return this;
        var s = entry.Kind switch
        {
            CouncilEntryKind.Answer when Fits(entry) && Active.Contains(entry.Member) && entry.Step is CouncilStep.Generate or CouncilStep.Revise =>
                this with { Answers = Answers.SetItem(entry.Member, entry.Text ?? ""), Answered = Answered.Add(entry.Key) },
            CouncilEntryKind.Critique when Fits(entry) && Active.Contains(entry.Member) && entry.Target is not null =>
                this with { Critiques = Critiques.Add(entry), Answered = Answered.Add(entry.Key) },
            CouncilEntryKind.MemberFailed when entry.Member == SelectorName && Step == CouncilStep.Select =>
                this with { SelectorFailed = true },
            CouncilEntryKind.MemberFailed when Active.Contains(entry.Member) =>
                this with { Active = Active.Remove(entry.Member), Dropped = Dropped.SetItem(entry.Member, entry.Text ?? "failed") },
            CouncilEntryKind.Consensus => this with { ConsensusReached = true },
            CouncilEntryKind.Selected when Active.Contains(entry.Member) && Answers.ContainsKey(entry.Member) =>
                this with { Outcome = new CouncilOutcome(entry.Member, Answers[entry.Member], entry.Text ?? "") },
            CouncilEntryKind.Failed => this with { Outcome = new CouncilOutcome(null, null, entry.Text ?? "the council failed") },
            _ => null,
        };
        return s is null ? this : (s with { Transcript = Transcript.Add(entry) }).Settle();
    }

    /// <summary>The mean score each active member's answer received in the latest critique round that scored it.</summary>
    public IReadOnlyDictionary<string, double> Scores()
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var member in Active)
        {
            var received = Critiques.Where(c => c.Target == member && c.Score is not null).ToList();
            if (received.Count == 0) continue;
            var last = received.Max(c => c.Round);
            scores[member] = received.Where(c => c.Round == last).Average(c => c.Score!.Value);
        }
        return scores;
    }

    /// <summary>The winner by the rubric: the highest score, ties to the member first in council order.</summary>
    public string RubricWinner()
    {
        var scores = Scores();
        return Active
            .Select((m, i) => (Member: m, Score: scores.GetValueOrDefault(m), Order: i))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Order)
            .First().Member;
    }

    private bool Fits(CouncilEntry e) => e.Step == Step && e.Round == Round;

    /// <summary>Moves on while the step is complete and the next step needs no decision of its own.</summary>
    private CouncilDeliberation Settle()
    {
        var s = this;
        while (s.Outcome is null && s.Active.Count >= 2 && s.Pending().Count == 0)
        {
            CouncilDeliberation? next = s.Step switch
            {
                _ when s.ConsensusReached || (s.Step == CouncilStep.Revise && s.Round == s.Spec.Rounds) =>
                    s.Step != CouncilStep.Select && s.Spec.Selector == CouncilSelectorKind.Agent && !s.SelectorFailed
                        ? s with { Step = CouncilStep.Select }
                        : null,
                CouncilStep.Generate when !s.SameAnswers() => s with { Step = CouncilStep.Critique },
                CouncilStep.Critique when !s.AllApprove() => s with { Step = CouncilStep.Revise },
                CouncilStep.Revise when !s.SameAnswers() => s with { Step = CouncilStep.Critique, Round = s.Round + 1 },
                _ => null,
            };
            if (next is null) break;
            s = next;
        }
        return s;
    }

    /// <summary>The requests of the current step not answered yet, in council order.</summary>
    private IReadOnlyList<CouncilRequest> Pending()
    {
        var members = Spec.Members.Where(m => Active.Contains(m.Name)).ToList();
        var requests = new List<CouncilRequest>();
        switch (Step)
        {
            case CouncilStep.Generate:
                foreach (var m in members)
                    requests.Add(new(Step, Round, m, null, CouncilPrompts.Generate(Context, m, Spec.Members.Count, Task), null));
                break;
            case CouncilStep.Critique:
                foreach (var critic in members)
                    foreach (var target in members.Where(t => t.Name != critic.Name))
                        requests.Add(new(Step, Round, critic, target.Name,
                            CouncilPrompts.Critique(Context, critic, target.Name, Task, Answers.GetValueOrDefault(target.Name, ""), Spec.Rubric),
                            CouncilPrompts.CritiqueSchema));
                break;
            case CouncilStep.Revise:
                foreach (var m in members)
                    requests.Add(new(Step, Round, m, null,
                        CouncilPrompts.Revise(Context, m, Task, Answers.GetValueOrDefault(m.Name, ""),
                            Critiques.Where(c => c.Round == Round && c.Target == m.Name)),
                        null));
                break;
            case CouncilStep.Select when Spec.Selector == CouncilSelectorKind.Agent && !SelectorFailed && Spec.SelectorRole is { } role:
                var scores = Scores();
                requests.Add(new(Step, Round, new CouncilMember(SelectorName, role), null,
                    CouncilPrompts.Select(Context, Task, Active.Select(m => (m, Answers.GetValueOrDefault(m, ""), scores.GetValueOrDefault(m)))),
                    CouncilPrompts.SelectSchema(Active)));
                break;
        }
        return requests.Where(r => !Answered.Contains(r.Key)).ToList();
    }

    private bool SameAnswers() =>
        Spec.Consensus == CouncilConsensus.SameAnswer
        && Active.Select(m => Normalize(Answers.GetValueOrDefault(m, ""))).Distinct(StringComparer.Ordinal).Count() == 1;

    private bool AllApprove()
    {
        if (Spec.Consensus != CouncilConsensus.AllApprove) return false;
        var round = Critiques.Where(c => c.Round == Round && Active.Contains(c.Member) && Active.Contains(c.Target!)).ToList();
        return round.Count > 0 && round.All(c => c.Approve == true);
    }

    private CouncilAction RubricSelection()
    {
        var winner = RubricWinner();
        var scores = Scores();
        var table = string.Join(", ", Active.Select(m => $"{m} {scores.GetValueOrDefault(m).ToString("0.00", CultureInfo.InvariantCulture)}"));
        var why = SelectorFailed ? "the selector failed, so the rubric decides: " : "";
        return new CouncilAction.Record(new CouncilEntry(CouncilEntryKind.Selected, CouncilStep.Select, Round, winner,
            Text: $"{why}highest mean peer score, ties to the earlier member ({table})", Score: scores.GetValueOrDefault(winner)));
    }

    private CouncilAction.Record Decide(CouncilEntryKind kind, string member, string text) =>
        new(new CouncilEntry(kind, Step, Round, member, Text: text));

    private string DroppedText() =>
        Dropped.Count == 0 ? "none dropped" : string.Join("; ", Dropped.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {kv.Value}"));

    private static string Normalize(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
