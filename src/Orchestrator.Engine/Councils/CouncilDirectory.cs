using Akka.Actor;
using Akka.Event;
using Orchestrator.Core.Councils;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Models;
using Orchestrator.Engine.Persistence;
using Orchestrator.Messages;
using static Orchestrator.Core.Councils.CouncilDirectoryCommands;
using static Orchestrator.Core.Councils.CouncilDirectoryEvents;

namespace Orchestrator.Engine.Councils;

/// <summary>The councils per role (<c>DEV</c>, <c>QA</c>, <c>ARCHITECT</c>...), created, listed and deleted at run time:
/// a persistent actor (<c>council-directory</c>) run as a cluster singleton, so its councils survive a restart and
/// serve every node. It decides with Core's <see cref="CouncilDirectoryState"/>, persists, then answers; a refused
/// command persists nothing and is answered with every reason.</summary>
public sealed class CouncilDirectory : EventSourcedEntity<CouncilDirectoryState>
{
    /// <summary>The persistence id of the one directory.</summary>
    public const string Id = "council-directory";

    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>Props of the directory; with <paramref name="serving"/> (the node's view of the models that serve), a
    /// council's agents must be servable when it is created;
    /// <paramref name="page"/> is how much one list carries (by default what fits Akka's default remoting frame of
    /// 128,000 bytes).</summary>
    public static Props Props(Func<ServingModels?>? serving = null, Func<DateTimeOffset>? clock = null, int snapshotEvery = 100,
        ReplyPageSize? page = null) =>
        Akka.Actor.Props.Create(() => new CouncilDirectory(serving ?? (() => null), clock ?? (() => DateTimeOffset.UtcNow), snapshotEvery,
            page ?? ReplyPageSize.DefaultFrame));

    /// <summary>Created through <see cref="Props"/>.</summary>
    public CouncilDirectory(Func<ServingModels?> serving, Func<DateTimeOffset> clock, int snapshotEvery, ReplyPageSize page)
        : base(CouncilDirectoryState.Empty, snapshotEvery)
    {
        Command<CreateCouncil>(Decide);
        Command<DeleteCouncil>(Decide);
        Command<GetCouncil>(Decide);
        Command<ListCouncils>(Decide);

        void Decide(IClusterMessage command)
        {
            var result = State.Decide(command, serving(), clock(), page);
            Handle(result, () => _log.Info("Council directory: {Reply}", result.Reply));
        }
    }

    /// <inheritdoc />
    public override string PersistenceId => Id;

    /// <inheritdoc />
    protected override string Name => "Council directory";

    /// <inheritdoc />
    protected override CouncilDirectoryState Apply(CouncilDirectoryState state, IPersistedEvent e) => state.Apply(e);

    /// <inheritdoc />
    protected override CouncilDirectoryState FromSnapshot(object snapshot) =>
        CouncilDirectoryState.From((CouncilDirectorySnapshot)snapshot);

    /// <inheritdoc />
    protected override ISnapshotState ToSnapshot(CouncilDirectoryState state) => state.ToSnapshot();
}
