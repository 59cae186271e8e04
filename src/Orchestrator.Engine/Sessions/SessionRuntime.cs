using Akka.Actor;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Models;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Lessons;
using Orchestrator.Engine.Models;
using Orchestrator.Engine.Streams;

namespace Orchestrator.Engine.Sessions;

/// <summary>What the sessions of a node run with: the template library, the actor that serves <c>Generate</c> for every
/// model name (a model manager, a pool on another node, a scripted actor in tests), the node's decision engine (it grants
/// the node's dispatch slots and picks each task's agent and model), the live feed, which model serves each agent role (the role's own name when absent), and how sessions snapshot and sample.
/// <see cref="Councils"/> is the council directory that serves council nodes naming a council by role (none: such
/// nodes fail); <see cref="Agents"/> (the agent registry's proxy) is told every
/// task's outcome; <see cref="Lessons"/> gives tasks lessons and records new ones; <see cref="TokenTopics"/> takes token
/// chunks to the clients of other nodes (none: they stay on this node's feed). All five are optional.
/// <see cref="MaxInterruptions"/>: a task whose attempts were in flight when the node stopped this many times in a row
/// fails instead of being dispatched again (it may be what stops the node). <see cref="Unrecovered"/>: the node's record
/// of sessions whose recovery failed (a new one when absent). <see cref="MaxInputBytes"/>: a start whose inputs are larger
/// together is refused (<see cref="SessionInputLimit"/>). <see cref="Serving"/>: which models serve (when given, a
/// session needing a role no serving or loading model can serve is refused at its start, <see cref="SessionServingCheck"/>).
/// <see cref="MaxRejectedWrites"/>: a session whose writes the journal rejected this many times in a row fails with the
/// reason when it recovers (<see cref="SessionWriteRejections"/>). <see cref="DetailPage"/>: how much of a session's detail
/// one reply carries (<see cref="ReplyPageSize"/>; by default what fits Akka's default remoting frame of 128,000 bytes).</summary>
public sealed record SessionRuntime(
    IReadOnlyDictionary<string, WorkflowTemplate> Templates,
    IActorRef Models,
    IActorRef Decisions,
    LiveFeed<SessionLiveEvent> Feed,
    IReadOnlyDictionary<string, string>? ModelByRole = null,
    int SnapshotEvery = 500,
    int MaxTokens = 512,
    ModelMessages.SamplingOptions? Sampling = null,
    Func<DateTimeOffset>? Clock = null,
    IActorRef? Councils = null,
    IActorRef? Agents = null,
    LessonInjection? Lessons = null,
    TimeSpan? FinishedIdleTimeout = null,
    SessionTokenTopics? TokenTopics = null,
    int MaxInterruptions = 2,
    SessionRecoveryFailures? Unrecovered = null,
    long MaxInputBytes = 256 * 1024,
    ModelServingView? Serving = null,
    int MaxRejectedWrites = 2,
    ReplyPageSize? DetailPage = null)
{
    /// <summary>How much of a session's detail one reply carries.</summary>
    public ReplyPageSize DetailPageSize => DetailPage ?? ReplyPageSize.DefaultFrame;

    /// <summary>The sessions whose writes the journal rejected in a row, shared by every entity built with this runtime.</summary>
    public SessionWriteRejections WriteRejections { get; } = new();

    /// <summary>The sessions whose recovery failed, shared by every entity built with this runtime.</summary>
    public SessionRecoveryFailures RecoveryFailures { get; } = Unrecovered ?? new SessionRecoveryFailures();

    /// <summary>How long a finished session (just finished, or started again to answer a query) stays up without being
    /// asked anything before it passivates (1 minute by default).</summary>
    public TimeSpan FinishedIdle => FinishedIdleTimeout ?? TimeSpan.FromMinutes(1);

    /// <summary>The time now, from <see cref="Clock"/> when set.</summary>
    public DateTimeOffset Now => Clock?.Invoke() ?? DateTimeOffset.UtcNow;
}
