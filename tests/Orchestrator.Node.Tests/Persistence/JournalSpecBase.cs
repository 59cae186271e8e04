using System.Collections.Immutable;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Orchestrator.Engine.Diagnostics;
using Orchestrator.Engine.Persistence;
using Orchestrator.Engine.Serialization;
using Orchestrator.Node.Persistence;
using Xunit.Abstractions;
using static Orchestrator.Core.Diagnostics.ProbeCommands;

namespace Orchestrator.Node.Tests.Persistence;

/// <summary>A TestKit whose actor system persists exactly as a node does, to <see cref="Database"/>, with every message
/// serialized (<c>serialize-messages = on</c>), and the probe-driving steps the journal specs share.</summary>
public abstract class JournalSpecBase : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>What every spec's actor system runs with over the node's persistence configuration, with every message
    /// verified (<c>serialize-messages = on</c>): Akka's and Akka.Persistence.Sql's own node-local plumbing (a
    /// <c>WriteFinished</c> holds a task, a failed write's reply a driver exception) is verified for the events it
    /// carries and handed back as it is (<see cref="Orchestrator.Engine.Tests.Support.PersistencePlumbingSerializer"/>).</summary>
    public static Config Overrides { get; } = ConfigurationFactory.ParseString("""
        akka.actor.serialize-messages = on
        akka.loglevel = INFO
        akka.loggers = ["Akka.TestKit.TestEventListener, Akka.TestKit"]
        akka.test.single-expect-default = 20s
        """).WithFallback(ConfigurationFactory.ParseString(Orchestrator.Engine.Tests.Support.PersistencePlumbingSerializer.Bindings));

    /// <summary>The deadline of bulk waits (thousands of events on a shared, slow machine).</summary>
    protected static readonly TimeSpan BulkDeadline = TimeSpan.FromMinutes(2);

    /// <summary>Starts the spec's actor system on <paramref name="database"/>.</summary>
    protected JournalSpecBase(SpecDatabase database, ITestOutputHelper output, Func<ActorSystemSetup, ActorSystemSetup>? adjust = null)
        : base((adjust ?? (s => s))(PersistentActorSystemSetup.For(database.Settings, Overrides)), "journal-spec", output)
    {
        Database = database;
    }

    /// <summary>The database this spec persists to.</summary>
    protected SpecDatabase Database { get; }

    /// <summary>The SQL read journal of the spec's actor system.</summary>
    protected SqlReadJournal ReadJournal =>
        ReadJournals.For<SqlReadJournal>(Sys);

    /// <summary>Round-trips <paramref name="message"/> through the actor system's serialization, as
    /// <c>serialize-messages</c> would, and fails unless the Orchestrator serializer is bound to it and gives back an
    /// equal message.</summary>
    protected T Verified<T>(T message) where T : notnull
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<OrchestratorJsonSerializer>(serializer);
        var bytes = serializer.ToBinary(message);
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, ((OrchestratorJsonSerializer)serializer).Manifest(message));
        Assert.Equal<object>(message, back);
        return message;
    }

    /// <summary>A persistence id no other spec uses.</summary>
    protected static string NewPersistenceId() => $"probe-{Guid.NewGuid():N}";

    /// <summary>A journal probe on <paramref name="persistenceId"/>, recovered, with its state after recovery.</summary>
    protected (IActorRef Probe, State State) StartProbe(string persistenceId, ActorSystem? system = null, Akka.TestKit.TestProbe? replyTo = null)
    {
        var probe = (system ?? Sys).ActorOf(JournalProbe.Props(persistenceId));
        return (probe, GetState(probe, replyTo));
    }

    /// <summary>The probe's state.</summary>
    protected State GetState(IActorRef probe, Akka.TestKit.TestProbe? replyTo = null)
    {
        if (replyTo is null)
        {
            probe.Tell(Verified(new GetState()), TestActor);
            return Verified(ExpectMsg<State>());
        }
        probe.Tell(Verified(new GetState()), replyTo.Ref);
        return Verified(replyTo.ExpectMsg<State>());
    }

    /// <summary>Persists events <paramref name="from"/>..<paramref name="from"/>+<paramref name="count"/>-1 in one
    /// atomic write and returns their acknowledgements, in order.</summary>
    protected IReadOnlyList<Written> Write(IActorRef probe, long from, int count, bool tagged)
    {
        probe.Tell(Verified(new Write(from, count, tagged)), TestActor);
        var acks = ReceiveN(count).Cast<Written>().Select(Verified).ToList();
        Assert.Equal(Enumerable.Range(0, count).Select(i => from + i), acks.Select(a => a.Number));
        return acks;
    }

    /// <summary>Stops <paramref name="actor"/> and waits until it is gone.</summary>
    protected void StopAndWait(IActorRef actor)
    {
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        Unwatch(actor);
    }

    /// <summary>Everything the journal holds for <paramref name="persistenceId"/>, in sequence order.</summary>
    protected Task<IImmutableList<EventEnvelope>> EventsOfAsync(string persistenceId) =>
        RunAsync(ReadJournal.CurrentEventsByPersistenceId(persistenceId, 0, long.MaxValue));

    /// <summary>Everything the journal holds under <paramref name="tag"/>, from the start, in journal order.</summary>
    protected Task<IImmutableList<EventEnvelope>> EventsTaggedAsync(string tag) =>
        RunAsync(ReadJournal.CurrentEventsByTag(tag, Offset.NoOffset()));

    private Task<IImmutableList<EventEnvelope>> RunAsync(Source<EventEnvelope, Akka.NotUsed> source) =>
        source.RunWith(Sink.Seq<EventEnvelope>(), Sys.Materializer()).WaitAsync(TimeSpan.FromSeconds(30));
}
