using Orchestrator.Api.Contracts.Templates;
using Orchestrator.Core.Context;
using Orchestrator.Core.Workflows;

namespace Orchestrator.Node.Api.Mapping;

/// <summary>Templates' settings as the API's contracts.</summary>
internal static class TemplateViews
{
    public static SessionSettingsDto ToDto(this SessionSettings s) => new(
        s.MaxConcurrentTasks, s.DispatchSpacing, s.TimeBudget, s.TokenBudget, s.QualityThreshold, s.MaxIterations,
        s.MaxIterationsWithoutImprovement, s.MaxSessionRetries, s.RetryBaseDelay, s.RetryMaxDelay, s.ScorerNode, s.TasksPerIteration,
        s.Context?.ToDto());

    public static SessionContextSettingsDto ToDto(this SessionContextSettings c) => new(c.ShareHistory, c.Limits.ToDto());

    public static ContextLimitsDto ToDto(this ContextSettings l) => new(l.MaxChars, l.SummarizeAboveChars, l.SummarizerRole, l.Language, l.KeepRecentTurns);
}
