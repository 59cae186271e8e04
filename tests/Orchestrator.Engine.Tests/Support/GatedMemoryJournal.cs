using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace Orchestrator.Engine.Tests.Support;

/// <summary>Akka's in-memory journal with a gate a spec can close: writes that arrive while it is closed wait until it
/// opens (their confirmations with them), so a spec can hold a write in flight and order what happens meanwhile. Its
/// controls are local to the spec's system (one carries a predicate), so they are not verified by serialize-messages.
/// Told <see cref="Close"/>, <see cref="Open"/>, <see cref="FailWrites"/>, <see cref="HealWrites"/> and <see cref="HeldWrites"/> (answered with the number waiting); the
/// gate starts open. <see cref="Config"/> makes it the journal.</summary>
internal sealed class GatedMemoryJournal : MemoryJournal
{
    private TaskCompletionSource? _gate;
    private volatile Func<object, bool>? _failing;
    private int _held;

    /// <summary>Makes this journal the system's journal.</summary>
    public static Config Config { get; } = ConfigurationFactory.ParseString($$"""
        akka.persistence.journal.plugin = "akka.persistence.journal.gated"
        akka.persistence.journal.gated {
          class = "{{typeof(GatedMemoryJournal).AssemblyQualifiedName}}"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """);

    /// <summary>The journal of <paramref name="system"/> (when it is this one).</summary>
    public static IActorRef Of(ActorSystem system) => Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null);

    public sealed record Close : INoSerializationVerificationNeeded
    {
        public static Close Instance { get; } = new();
    }

    public sealed record Open : INoSerializationVerificationNeeded
    {
        public static Open Instance { get; } = new();
    }

    /// <summary>From now on, a write holding an event that <see cref="Matches"/> accepts fails (the writer stops, as
    /// on a full disk); answered with <c>Done</c>.</summary>
    public sealed record FailWrites(Func<object, bool> Matches) : INoSerializationVerificationNeeded;

    /// <summary>Writes succeed again; answered with <c>Done</c>.</summary>
    public sealed record HealWrites : INoSerializationVerificationNeeded
    {
        public static HealWrites Instance { get; } = new();
    }

    public sealed record HeldWrites : INoSerializationVerificationNeeded
    {
        public static HeldWrites Instance { get; } = new();
    }

    /// <inheritdoc />
    protected override bool ReceivePluginInternal(object message)
    {
        switch (message)
        {
            case Close:
                _gate ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Sender.Tell(Akka.Done.Instance);
                return true;
            case Open:
                _gate?.TrySetResult();
                _gate = null;
                Sender.Tell(Akka.Done.Instance);
                return true;
            case FailWrites f:
                _failing = f.Matches;
                Sender.Tell(Akka.Done.Instance);
                return true;
            case HealWrites:
                _failing = null;
                Sender.Tell(Akka.Done.Instance);
                return true;
            case HeldWrites:
                Sender.Tell(Volatile.Read(ref _held));
                return true;
            default:
                return base.ReceivePluginInternal(message);
        }
    }

    /// <inheritdoc />
    protected override async Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        if (_gate is { } gate)
        {
            Interlocked.Increment(ref _held);
            await gate.Task.WaitAsync(cancellationToken);
            Interlocked.Decrement(ref _held);
        }
        var writes = messages.ToList();
        if (_failing is { } failing && writes.Any(w => ((IEnumerable<IPersistentRepresentation>)w.Payload).Any(p => failing(p.Payload))))
            throw new IOException("injected journal failure (no space left on device)");
        return await base.WriteMessagesAsync(writes, cancellationToken);
    }
}
