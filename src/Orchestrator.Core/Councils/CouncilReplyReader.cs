using System.Text.Json;
using Orchestrator.Core.Protocol;

namespace Orchestrator.Core.Councils;

/// <summary>Reads an agent's reply to a council request into a transcript entry: an answer the way the task reads
/// replies (its phase or output schema), a critique as <c>{score, approve, critique}</c>, the selector's choice as
/// <c>{winner, reason}</c> naming a member still deliberating. A reply that cannot be read makes the agent a
/// <see cref="CouncilEntryKind.MemberFailed"/> entry with the reason, as a model failure or a timeout does.</summary>
public static class CouncilReplyReader
{
    public static CouncilEntry Read(CouncilRequest request, string raw, ReplyKind answerKind, string? answerSchema, IReadOnlyCollection<string> active)
    {
        switch (request.Step)
        {
            case CouncilStep.Generate or CouncilStep.Revise:
                {
                    var reply = TaskReplyReader.Read(answerKind, answerSchema, raw);
                    return reply.Success
                        ? Entry(request, CouncilEntryKind.Answer, reply.Output)
                        : Failure(request, $"its answer could not be read: {reply.Problem}");
                }
            case CouncilStep.Critique:
                {
                    using var doc = JsonExtraction.Extract(raw, []);
                    if (doc is not { RootElement.ValueKind: JsonValueKind.Object } || !doc.RootElement.TryGetProperty("score", out var s)
                        || s.ValueKind != JsonValueKind.Number || double.IsNaN(s.GetDouble()))
                        return Failure(request, "its critique holds no JSON object with a numeric score");
                    var root = doc.RootElement;
                    var score = Math.Clamp(s.GetDouble(), 0, 1);
                    var approve = root.TryGetProperty("approve", out var a) && a.ValueKind is JsonValueKind.True or JsonValueKind.False
                        ? a.GetBoolean()
                        : score >= 0.5;
                    var text = root.TryGetProperty("critique", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
                    return Entry(request, CouncilEntryKind.Critique, text) with { Score = score, Approve = approve };
                }
            default:
                {
                    using var doc = JsonExtraction.Extract(raw, []);
                    if (doc is not { RootElement.ValueKind: JsonValueKind.Object } || !doc.RootElement.TryGetProperty("winner", out var w)
                        || w.ValueKind != JsonValueKind.String)
                        return Failure(request, "its choice holds no JSON object with a winner");
                    var winner = w.GetString()!;
                    if (!active.Contains(winner))
                        return Failure(request, $"it chose '{winner}', which is not a member still deliberating ({string.Join(", ", active)})");
                    var reason = doc.RootElement.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "";
                    return new CouncilEntry(CouncilEntryKind.Selected, request.Step, request.Round, winner, Text: $"chosen by the selector: {reason}");
                }
        }
    }

    /// <summary>The entry that records <paramref name="request"/>'s agent failing for <paramref name="reason"/>.</summary>
    public static CouncilEntry Failure(CouncilRequest request, string reason) =>
        new(CouncilEntryKind.MemberFailed, request.Step, request.Round, request.Agent.Name, request.Target, reason);

    private static CouncilEntry Entry(CouncilRequest request, CouncilEntryKind kind, string text) =>
        new(kind, request.Step, request.Round, request.Agent.Name, request.Target, text);
}
