namespace Orchestrator.Core.Protocol;

/// <summary>What <see cref="ResponseParser"/> made of a reply: on success the phase, the body as JSON text and the
/// typed data of that phase; on failure the problems. <see cref="RawText"/> and the warnings are always kept.</summary>
internal sealed record ProtocolParseResult(
    bool Success,
    ResponsePhase? Phase,
    string? BodyJson,
    IReadOnlyList<ParseWarning> Warnings,
    IReadOnlyList<string> Problems,
    string RawText)
{
    internal AnalysisData? Analysis { get; init; }
    internal TaskListData? TaskList { get; init; }
    internal ProgressData? Progress { get; init; }
    internal CompletionData? Completion { get; init; }
    internal AggregationData? Aggregation { get; init; }

    /// <summary>The problems in one line, for a <c>TaskFailed</c> reason.</summary>
    internal string Reason => Problems.Count == 0 ? "" : string.Join("; ", Problems);
}
