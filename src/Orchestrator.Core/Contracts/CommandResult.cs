using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Contracts;

/// <summary>What an entity decided about a command: the events to persist, all in one write (none for a refusal, a query
/// or a no-op), and the reply to send once they are persisted (null: nobody is answered). A decider that folds its
/// events as it decides returns <see cref="CommandResult{TState}"/>, with the state after them.</summary>
public record CommandResult(IReadOnlyList<IPersistedEvent> Events, IClusterMessage? Reply)
{
    /// <summary>Nothing to persist and nothing to answer.</summary>
    public static CommandResult None { get; } = new([], null);

    /// <summary>Nothing to persist; <paramref name="reply"/> answers at once (a refusal or a query's answer).</summary>
    public static CommandResult ReplyOnly(IClusterMessage? reply) => new([], reply);

    /// <summary>One event to persist, then <paramref name="reply"/>.</summary>
    public static CommandResult Persist(IPersistedEvent e, IClusterMessage? reply) => new([e], reply);

    /// <summary>Whether the command changes nothing: no event is written.</summary>
    public bool PersistsNothing => Events.Count == 0;
}

/// <summary>A <see cref="CommandResult"/> with the state after its events, folded once by the decider: the entity adopts
/// <see cref="State"/> when the write is confirmed instead of folding the events again.</summary>
/// <typeparam name="TState">The entity's state.</typeparam>
public sealed record CommandResult<TState>(IReadOnlyList<IPersistedEvent> Events, IClusterMessage Reply, TState State)
    : CommandResult(Events, Reply);
