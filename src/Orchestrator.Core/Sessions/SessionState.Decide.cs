using Orchestrator.Core.Councils;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Workflows;
using static Orchestrator.Core.Sessions.SessionCommands;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Sessions.SessionReplies;

namespace Orchestrator.Core.Sessions;

internal sealed partial record SessionState
{
    /// <summary>Decides a start: resolves <paramref name="cmd"/>'s template from <paramref name="library"/>; with
    /// <paramref name="agents"/>, every council member and chat participant must run on a model the node serves.</summary>
    public CommandResult Decide(StartSession cmd, IReadOnlyDictionary<string, WorkflowTemplate> library, DateTimeOffset now,
        AgentCatalog? agents = null) =>
        Decide(cmd, TemplateResolver.Resolve(cmd.TemplateName, library, cmd.Inputs, agents), now);

    /// <summary>Decides a start with a template already resolved: <c>SessionCreated</c> and <c>PlanAccepted</c>
    /// together, or a rejection with every problem and nothing to persist. Starting a running session again with the
    /// same template is answered <c>SessionStarted</c> without events.</summary>
    public CommandResult Decide(StartSession cmd, TemplateResolution resolution, DateTimeOffset now)
    {
        if (SessionIds.Problem(cmd.SessionId) is { } bad) return Reject(cmd.SessionId, bad);
        if (Lifecycle != SessionLifecycle.New)
            return Workflow?.Name == cmd.TemplateName
                ? new CommandResult([], new SessionStarted(SessionId))
                : Reject(cmd.SessionId, $"session '{SessionId}' already exists with template '{Workflow?.Name}'");
        if (!resolution.IsValid) return new CommandResult([], new SessionRejected(cmd.SessionId, resolution.Problems.Select(p => p.ToString()).ToList()));

        var workflow = resolution.Workflow!;
        return new CommandResult(
            [
                new SessionCreated(cmd.SessionId, workflow, cmd.Inputs, now),
                new PlanAccepted(cmd.SessionId, workflow.Nodes.Select(PlannedTask.From).ToList(), null, now),
            ],
            new SessionStarted(cmd.SessionId));
    }

    /// <summary>Decides pause, resume, cancel and status. A session with no event answers not-found.</summary>
    public CommandResult Decide(ISessionMessage cmd, DateTimeOffset now)
    {
        if (Lifecycle == SessionLifecycle.New) return new CommandResult([], new SessionNotFound(cmd.SessionId));
        IPersistedEvent[] events = cmd switch
        {
            PauseSession when Lifecycle == SessionLifecycle.Running => [new SessionPaused(SessionId, now)],
            ResumeSession when Lifecycle == SessionLifecycle.Paused => [new SessionResumed(SessionId, now)],
            CancelSession c when !IsFinished => [new SessionCancelled(SessionId, c.Reason, now)],
            PauseSession or ResumeSession or CancelSession or GetSessionStatus or GetSessionDetail => [],
            StartSession s => throw new ArgumentException("StartSession is decided with a template library", nameof(cmd)),
            _ => throw new ArgumentException($"{cmd.GetType().Name} is not a session command", nameof(cmd)),
        };
        if (events.Length == 0 && cmd is PauseSession or ResumeSession && IsFinished)
            return Reject(SessionId, $"session '{SessionId}' is {Lifecycle.ToString().ToLowerInvariant()}");
        return cmd is GetSessionDetail
            ? new CommandResult([], ToDetail())
            : new CommandResult(events, ApplyAll(events).ToStatus());
    }

    /// <summary>The session's figures with every task, in plan order.</summary>
    public SessionDetail ToDetail() => new(
        ToStatus(), Inputs, CreatedAt,
        Tasks.Values.OrderBy(t => t.Order).Select(t => new TaskView(
            t.Spec.Id, t.Spec.AgentRole, t.Spec.Phase, t.Spec.DependsOn, t.State, t.Attempt, t.Failures, t.Model, t.Output,
            t.LastError)).ToList());

    /// <summary>The session's figures as a reply.</summary>
    public SessionStatus ToStatus() => new(
        SessionId, Lifecycle, Workflow?.Name ?? "", Iteration, Tasks.Count, Succeeded, Failed, Skipped, InFlight.Count,
        TokensUsed, BestScore, EndReason);

    /// <summary>An outcome the session should persist: only one for the attempt now in flight; a late or unknown
    /// one (a worker of an earlier attempt) is dropped.</summary>
    public bool Accepts(TaskSucceeded outcome) => IsCurrentAttempt(outcome.TaskId, outcome.Attempt, out _);

    /// <inheritdoc cref="Accepts(TaskSucceeded)"/>
    public bool Accepts(TaskFailed outcome) => IsCurrentAttempt(outcome.TaskId, outcome.Attempt, out _);

    private static CommandResult Reject(string sessionId, params string[] problems) => new([], new SessionRejected(sessionId, problems));
}
