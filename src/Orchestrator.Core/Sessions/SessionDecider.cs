using Orchestrator.Core.Contracts;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Validation;
using Orchestrator.Core.Workflows;
using Orchestrator.Messages.Sessions;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Messages.Sessions.SessionCommands;
using static Orchestrator.Messages.Sessions.SessionReplies;

namespace Orchestrator.Core.Sessions;

/// <summary>Decides a session's commands (start, pause, resume, cancel, status, detail, a person's answer) on its state: the events to
/// persist, the state after them (folded once), and the reply.</summary>
public static class SessionDecider
{
    /// <summary>Decides a start: resolves <paramref name="cmd"/>'s template from <paramref name="library"/>.</summary>
    public static CommandResult<SessionState> Decide(this SessionState state, StartSession cmd, IReadOnlyDictionary<string, WorkflowTemplate> library,
        DateTimeOffset now) =>
        state.Decide(cmd, TemplateResolver.Resolve(cmd.TemplateName, library, cmd.Inputs), now);

    /// <summary>Decides a start with a template already resolved: <c>SessionCreated</c> and <c>PlanAccepted</c>
    /// together, or a rejection with every problem and nothing to persist. Starting an existing session again with the
    /// same template and the same inputs is answered <c>SessionStarted</c> without events; with another template or
    /// other inputs it is a conflict naming what differs. A problem names its template file by name and line, never by
    /// the node's path to it.</summary>
    public static CommandResult<SessionState> Decide(this SessionState state, StartSession cmd, TemplateResolution resolution, DateTimeOffset now)
    {
        if (SessionId.Problem(cmd.SessionId) is { } bad) return Reject(state, cmd.SessionId, bad);
        if (state.Lifecycle != SessionLifecycle.New)
            return StartedOtherwise(state, cmd) is { } differs
                ? new CommandResult<SessionState>([], new SessionRejected(cmd.SessionId, [differs], Conflict: true), state)
                : new CommandResult<SessionState>([], new SessionStarted(state.SessionId), state);
        if (!resolution.IsValid)
            return new CommandResult<SessionState>([], new SessionRejected(cmd.SessionId, resolution.Problems.Select(Describe).ToList()), state);

        var workflow = resolution.Workflow!;
        var id = SessionId.Parse(cmd.SessionId);
        IPersistedEvent[] events =
        [
            new SessionCreated(id, workflow, cmd.Inputs, now),
            new PlanAccepted(id, workflow.Nodes.Select(PlannedTask.From).ToList(), null, now),
        ];
        return new CommandResult<SessionState>(events, new SessionStarted(cmd.SessionId), state.ApplyAll(events));
    }

    /// <summary>Decides pause, resume, cancel and status. A session with no event answers not-found.</summary>
    public static CommandResult<SessionState> Decide(this SessionState state, ISessionMessage cmd, DateTimeOffset now)
    {
        if (state.Lifecycle == SessionLifecycle.New) return new CommandResult<SessionState>([], new SessionNotFound(cmd.SessionId), state);
        var id = state.Id;
        IPersistedEvent[] events = cmd switch
        {
            PauseSession when state.Lifecycle == SessionLifecycle.Running => [new SessionPaused(id, now)],
            ResumeSession when state.Lifecycle == SessionLifecycle.Paused => [new SessionResumed(id, now)],
            CancelSession c when !state.IsFinished => [new SessionCancelled(id, c.Reason, now)],
            PauseSession or ResumeSession or CancelSession or GetSessionStatus => [],
            StartSession => throw new ArgumentException("StartSession is decided with a template library", nameof(cmd)),
            AnswerHumanInput or GetSessionDetail => throw new ArgumentException($"{cmd.GetType().Name} is decided by its own overload", nameof(cmd)),
            _ => throw new ArgumentException($"{cmd.GetType().Name} is not a session command", nameof(cmd)),
        };
        if (events.Length == 0 && cmd is PauseSession or ResumeSession && state.IsFinished)
            return Reject(state, state.SessionId, $"session '{id}' is {state.Lifecycle.ToString().ToLowerInvariant()}");
        var after = state.ApplyAll(events);
        return new CommandResult<SessionState>(events, after.ToStatus(), after);
    }

    /// <summary>Answers a detail query with one page of the session's tasks from the one it names on, within
    /// <paramref name="size"/> (<see cref="SessionViews.ToDetail"/>); a session with no event answers not-found.</summary>
    public static CommandResult<SessionState> Decide(this SessionState state, GetSessionDetail query, ReplyPageSize size) =>
        new([], state.Lifecycle == SessionLifecycle.New ? new SessionNotFound(query.SessionId) : state.ToDetail(query.FirstTask, size), state);

    /// <summary>Ends a session its node cannot carry on (the journal rejects what it writes): <c>SessionFailed</c> with
    /// <paramref name="reason"/> and the status after it; nothing for a session that has ended.</summary>
    public static CommandResult<SessionState> Abandon(this SessionState state, string reason, DateTimeOffset now)
    {
        if (state.IsFinished || state.Lifecycle == SessionLifecycle.New) return new CommandResult<SessionState>([], state.ToStatus(), state);
        IPersistedEvent[] events = [new SessionFailed(state.Id, reason, now)];
        var after = state.ApplyAll(events);
        return new CommandResult<SessionState>(events, after.ToStatus(), after);
    }

    /// <summary>Decides a person's answer to a human node's question: <c>HumanInputAnswered</c> with the task's outcome
    /// and the status after them, or a refusal with nothing to persist (see <see cref="SessionHumanInput"/>).</summary>
    public static CommandResult<SessionState> Decide(this SessionState state, AnswerHumanInput cmd, DateTimeOffset now) =>
        SessionHumanInput.Decide(state, cmd, now);

    /// <summary>How the existing session differs from what <paramref name="cmd"/> would start, or null when it would
    /// start the same: another template, or the inputs that differ (given to one and not the other, or with other values).</summary>
    private static string? StartedOtherwise(SessionState state, StartSession cmd)
    {
        if (state.Workflow?.Name != cmd.TemplateName)
            return $"session '{state.SessionId}' already exists with template '{state.Workflow?.Name}', not " +
                   $"'{InputEcho.Of(cmd.TemplateName)}': start another session id";
        var inputs = cmd.Inputs ?? new Dictionary<string, string>();
        var differing = state.Inputs.Keys.Union(inputs.Keys, StringComparer.Ordinal)
            .Where(k => !(state.Inputs.TryGetValue(k, out var was) && inputs.TryGetValue(k, out var now) && was == now))
            .Order(StringComparer.Ordinal).ToList();
        if (differing.Count == 0) return null;
        const int named = 10;
        var names = string.Join(", ", differing.Take(named).Select(InputEcho.Of)) +
                    (differing.Count > named ? $" and {differing.Count - named} more" : "");
        return $"session '{state.SessionId}' already exists with other inputs (these differ: {names}): start another session id";
    }

    /// <summary>A template problem as a start's rejection says it: the file by its name only (the node's directories
    /// are not the caller's business), its line, the code and the message.</summary>
    private static string Describe(TemplateProblem problem) => problem.Location is { } at
        ? $"{new SourceLocation(Path.GetFileName(at.File), at.Line)}: {problem.Code}: {problem.Message}"
        : $"{problem.Code}: {problem.Message}";

    private static CommandResult<SessionState> Reject(SessionState state, string sessionId, params string[] problems) =>
        new([], new SessionRejected(sessionId, problems), state);
}
