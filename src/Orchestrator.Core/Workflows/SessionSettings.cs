using Orchestrator.Core.Context;
using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Workflows;

/// <summary>The settings one session runs under, every value given (see <see cref="SessionSettingsSpec"/> for
/// the partial form a template writes). <see cref="ScorerNode"/> names the node whose reply is <c>{score, critique}</c>;
/// <see cref="Context"/> is how prompts share the session's conversation (none: prompts are left as they are).</summary>
public sealed record SessionSettings(
    int MaxConcurrentTasks,
    TimeSpan DispatchSpacing,
    TimeSpan? TimeBudget,
    long? TokenBudget,
    double QualityThreshold,
    int MaxIterations,
    int MaxIterationsWithoutImprovement,
    int MaxSessionRetries,
    TimeSpan RetryBaseDelay,
    TimeSpan RetryMaxDelay,
    string? ScorerNode,
    int TasksPerIteration,
    SessionContextSettings? Context = null)
{
    /// <summary>What a setting is when no template in the chain gives it.</summary>
    public static SessionSettings Defaults { get; } = new(
        MaxConcurrentTasks: 4,
        DispatchSpacing: TimeSpan.Zero,
        TimeBudget: null,
        TokenBudget: null,
        QualityThreshold: 0.8,
        MaxIterations: 1,
        MaxIterationsWithoutImprovement: 2,
        MaxSessionRetries: 100,
        RetryBaseDelay: TimeSpan.FromSeconds(1),
        RetryMaxDelay: TimeSpan.FromMinutes(1),
        ScorerNode: null,
        TasksPerIteration: 2);
}

/// <summary>Session settings as a template writes them: each one optional, so a child overrides only what it names.</summary>
public sealed record SessionSettingsSpec(
    int? MaxConcurrentTasks = null,
    TimeSpan? DispatchSpacing = null,
    TimeSpan? TimeBudget = null,
    long? TokenBudget = null,
    double? QualityThreshold = null,
    int? MaxIterations = null,
    int? MaxIterationsWithoutImprovement = null,
    int? MaxSessionRetries = null,
    TimeSpan? RetryBaseDelay = null,
    TimeSpan? RetryMaxDelay = null,
    string? ScorerNode = null,
    int? TasksPerIteration = null,
    SourceLocation? Source = null,
    ContextSettingsSpec? Context = null)
{
    /// <summary>No setting given.</summary>
    public static SessionSettingsSpec Empty { get; } = new();

    /// <summary>This spec with every value <paramref name="child"/> gives taking precedence.</summary>
    public SessionSettingsSpec OverriddenBy(SessionSettingsSpec child) => new(
        child.MaxConcurrentTasks ?? MaxConcurrentTasks,
        child.DispatchSpacing ?? DispatchSpacing,
        child.TimeBudget ?? TimeBudget,
        child.TokenBudget ?? TokenBudget,
        child.QualityThreshold ?? QualityThreshold,
        child.MaxIterations ?? MaxIterations,
        child.MaxIterationsWithoutImprovement ?? MaxIterationsWithoutImprovement,
        child.MaxSessionRetries ?? MaxSessionRetries,
        child.RetryBaseDelay ?? RetryBaseDelay,
        child.RetryMaxDelay ?? RetryMaxDelay,
        child.ScorerNode ?? ScorerNode,
        child.TasksPerIteration ?? TasksPerIteration,
        child.Source ?? Source,
        Context is null ? child.Context : child.Context is null ? Context : Context.OverriddenBy(child.Context));

    /// <summary>The full settings, defaults where nothing is given.</summary>
    public SessionSettings ToSettings()
    {
        var d = SessionSettings.Defaults;
        return new SessionSettings(
            MaxConcurrentTasks ?? d.MaxConcurrentTasks,
            DispatchSpacing ?? d.DispatchSpacing,
            TimeBudget ?? d.TimeBudget,
            TokenBudget ?? d.TokenBudget,
            QualityThreshold ?? d.QualityThreshold,
            MaxIterations ?? d.MaxIterations,
            MaxIterationsWithoutImprovement ?? d.MaxIterationsWithoutImprovement,
            MaxSessionRetries ?? d.MaxSessionRetries,
            RetryBaseDelay ?? d.RetryBaseDelay,
            RetryMaxDelay ?? d.RetryMaxDelay,
            ScorerNode ?? d.ScorerNode,
            TasksPerIteration ?? d.TasksPerIteration,
            Context?.ToSettings());
    }

    /// <summary>Every value out of range, each named with this spec's location.</summary>
    public IEnumerable<TemplateProblem> Validate(string template)
    {
        TemplateProblem Bad(string what) => new("invalid-setting", $"template '{template}': {what}", Source);
        if (MaxConcurrentTasks is < 1) yield return Bad($"max-concurrent-tasks must be at least 1, not {MaxConcurrentTasks}");
        if (DispatchSpacing is { } s && s < TimeSpan.Zero) yield return Bad($"dispatch-spacing must not be negative, not {s}");
        if (TimeBudget is { } t && t <= TimeSpan.Zero) yield return Bad($"time-budget must be positive, not {t}");
        if (TokenBudget is < 1) yield return Bad($"token-budget must be positive, not {TokenBudget}");
        if (QualityThreshold is { } q && (q < 0 || q > 1 || double.IsNaN(q)))
            yield return Bad($"quality-threshold must be between 0 and 1, not {q}");
        if (MaxIterations is < 1) yield return Bad($"max-iterations must be at least 1, not {MaxIterations}");
        if (MaxIterationsWithoutImprovement is < 1)
            yield return Bad($"max-iterations-without-improvement must be at least 1, not {MaxIterationsWithoutImprovement}");
        if (MaxSessionRetries is < 0) yield return Bad($"max-session-retries must not be negative, not {MaxSessionRetries}");
        if (RetryBaseDelay is { } b && b < TimeSpan.Zero) yield return Bad($"retry-base-delay must not be negative, not {b}");
        if (RetryMaxDelay is { } m && m < TimeSpan.Zero) yield return Bad($"retry-max-delay must not be negative, not {m}");
        if (TasksPerIteration is < 1) yield return Bad($"tasks-per-iteration must be at least 1, not {TasksPerIteration}");
        if (Context is not null)
            foreach (var problem in Context.Validate(template)) yield return problem;
    }
}
