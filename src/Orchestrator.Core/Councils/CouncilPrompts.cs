using System.Globalization;
using Orchestrator.Core.Context;

namespace Orchestrator.Core.Councils;

/// <summary>The prompts of a council's steps and the JSON schemas critique and selection replies are held to. Every
/// prompt goes through <see cref="SessionContext.Compose"/>, so it carries the output language line and never exceeds
/// the context's hard character limit (the answers quoted in it give way first).</summary>
internal static class CouncilPrompts
{
    /// <summary>A critique: a score in [0, 1], whether the critic approves the answer as it is, and what to change.</summary>
    internal const string CritiqueSchema =
        """{"type":"object","properties":{"score":{"type":"number","minimum":0,"maximum":1},"approve":{"type":"boolean"},"critique":{"type":"string","maxLength":300}},"required":["score","approve","critique"]}""";

    /// <summary>The selector's choice among <paramref name="members"/> and why.</summary>
    internal static string SelectSchema(IEnumerable<string> members) =>
        """{"type":"object","properties":{"winner":{"type":"string","enum":[""" + string.Join(",", members.Select(Quote)) +
        """]},"reason":{"type":"string","maxLength":300}},"required":["winner","reason"]}""";

    internal static string Generate(SessionContext context, CouncilMember member, int size, string task) =>
        context.Compose(
            $"You are {member.Name} ({member.Role}), one of {size} members of a council. Answer the task below; your peers " +
            "answer it too, then you critique each other's answers and revise your own.",
            $"Task:\n{task}");

    internal static string Critique(SessionContext context, CouncilMember critic, string target, string task, string answer, string? rubric) =>
        context.Compose(
            $"You are {critic.Name} ({critic.Role}) on a council. Review the answer of member {target} to the task below." +
            (rubric is null ? "" : $" Judge it by: {rubric}") +
            " Reply with JSON: {\"score\": a number from 0 to 1, \"approve\": true if it can stand as it is, \"critique\": \"what to change\"}.",
            $"Answer of {target}:\n{answer}\n\nTask:\n{task}");

    internal static string Revise(SessionContext context, CouncilMember member, string task, string answer, IEnumerable<CouncilEntry> critiques) =>
        context.Compose(
            $"You are {member.Name} ({member.Role}) on a council. Revise your answer to the task below with your peers' " +
            "critiques in mind. Reply with the whole revised answer, in the form the task asks for.",
            "Critiques of your answer:\n" +
            string.Join("\n", critiques.Select(c =>
                $"- {c.Member} (score {Format(c.Score)}, {(c.Approve == true ? "approves" : "does not approve")}): {c.Text}")) +
            $"\n\nYour answer:\n{answer}\n\nTask:\n{task}");

    internal static string Select(SessionContext context, string task, IEnumerable<(string Member, string Answer, double Score)> candidates) =>
        context.Compose(
            "You select the best answer to the task below among a council's answers. Reply with JSON: " +
            "{\"winner\": \"the member's name\", \"reason\": \"why\"}.",
            string.Join("\n\n", candidates.Select(c => $"Answer of {c.Member} (peer score {Format(c.Score)}):\n{c.Answer}")) +
            $"\n\nTask:\n{task}");

    private static string Format(double? score) => score?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-";

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);
}
