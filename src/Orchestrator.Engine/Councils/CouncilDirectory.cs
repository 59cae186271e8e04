using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Messaging;
using static Orchestrator.Core.Councils.CouncilDirectoryCommands;
using static Orchestrator.Core.Councils.CouncilDirectoryEvents;
using Orchestrator.Engine.Persistence;

namespace Orchestrator.Engine.Councils;

/// <summary>The councils per role (<c>DEV</c>, <c>QA</c>, <c>ARCHITECT</c>...), created, listed and deleted at run time:
/// a persistent actor (<c>council-directory</c>) run as a cluster singleton, so its councils survive a restart and
/// serve every node. It decides with Core's <see cref="CouncilDirectoryState"/>, persists, then answers; a refused
/// command persists nothing and is answered with every reason.</summary>
public sealed class CouncilDirectory : SnapshottingActor
{
    /// <summary>The persistence id of the one directory.</summary>
    public const string Id = "council-directory";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private CouncilDirectoryState _state = CouncilDirectoryState.Empty;
    private int _eventsSinceSnapshot;

    /// <summary>Props of the directory; with <paramref name="agents"/>, council members must run on configured models.</summary>
    public static Props Props(AgentCatalog? agents, Func<DateTimeOffset>? clock = null, int snapshotEvery = 100) =>
        Akka.Actor.Props.Create(() => new CouncilDirectory(agents, clock ?? (() => DateTimeOffset.UtcNow), snapshotEvery));

    /// <summary>Created through <see cref="Props"/>.</summary>
    public CouncilDirectory(AgentCatalog? agents, Func<DateTimeOffset> clock, int snapshotEvery)
    {
        Recover<SnapshotOffer>(o => _state = CouncilDirectoryState.From((CouncilDirectorySnapshot)o.Snapshot));
        Recover<IPersistedEvent>(e => _state = _state.Apply(e));

        Command<CreateCouncil>(c => Handle(c, agents, clock));
        Command<DeleteCouncil>(c => Handle(c, agents, clock));
        Command<GetCouncil>(c => Handle(c, agents, clock));
        Command<ListCouncils>(c => Handle(c, agents, clock));
        KeepOnlyTheLatestSnapshot(() => "Council directory");

        void Handle(IClusterMessage command, AgentCatalog? catalog, Func<DateTimeOffset> now)
        {
            var (events, reply) = _state.Decide(command, catalog, now());
            if (events.Count == 0)
            {
                Sender.Tell(reply);
                return;
            }
            var sender = Sender;
            PersistAll(events, e =>
            {
                _state = _state.Apply(e);
                if (++_eventsSinceSnapshot >= snapshotEvery)
                {
                    _eventsSinceSnapshot = 0;
                    SaveSnapshot(_state.ToSnapshot());
                }
            });
            DeferAsync(reply, r =>
            {
                _log.Info("Council directory: {0}", r);
                sender.Tell(r);
            });
        }
    }

    /// <inheritdoc />
    public override string PersistenceId => Id;
}
