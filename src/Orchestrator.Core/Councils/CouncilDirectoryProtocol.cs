using Orchestrator.Core.Messaging;
using Orchestrator.Messages;

namespace Orchestrator.Core.Councils;

/// <summary>A council the directory holds for a role (<c>DEV</c>, <c>QA</c>, <c>ARCHITECT</c>...), serving every
/// template node that names the role.</summary>
public sealed record CouncilDefinition(string Role, CouncilSpec Council, DateTimeOffset CreatedAt);

/// <summary>What a client asks of the council directory (the cluster singleton behind <c>/user/councils</c>); each is
/// answered by one of <see cref="CouncilDirectoryReplies"/>.</summary>
public static class CouncilDirectoryCommands
{
    /// <summary>Creates the council of <paramref name="Role"/>; refused with every problem when the council is not
    /// valid (fewer than two members, an unknown role, a model not configured) or the role has one already.</summary>
    public sealed record CreateCouncil(string Role, CouncilSpec Council) : IClusterMessage;

    /// <summary>Deletes the council of a role.</summary>
    public sealed record DeleteCouncil(string Role) : IClusterMessage;

    /// <summary>Lists the councils by role, from the first after <paramref name="After"/> (null: from the first), as
    /// many as one reply carries; the <see cref="CouncilDirectoryReplies.CouncilList"/>'s <c>Next</c> is where the next
    /// page starts.</summary>
    public sealed record ListCouncils(string? After = null) : IClusterMessage;

    /// <summary>Asks for the council of a role.</summary>
    public sealed record GetCouncil(string Role) : IClusterMessage;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("create-council.v1", typeof(CreateCouncil)),
        new("delete-council.v1", typeof(DeleteCouncil)),
        new("list-councils.v1", typeof(ListCouncils)),
        new("get-council.v1", typeof(GetCouncil)),
    ];
}

/// <summary>The council directory's answers.</summary>
public static class CouncilDirectoryReplies
{
    /// <summary>The council was created (or is the one asked for).</summary>
    public sealed record CouncilCreated(CouncilDefinition Council) : IClusterMessage;

    /// <summary>Refused, nothing changed; <see cref="Problems"/> lists every reason.</summary>
    public sealed record CouncilRejected(string Role, IReadOnlyList<string> Problems) : IClusterMessage;

    /// <summary>The council of the role was deleted.</summary>
    public sealed record CouncilDeleted(string Role) : IClusterMessage;

    /// <summary>No council has this role.</summary>
    public sealed record CouncilNotFound(string Role) : IClusterMessage;

    /// <summary>The council of a role.</summary>
    public sealed record CouncilFound(CouncilDefinition Council) : IClusterMessage;

    /// <summary>A page of the councils, by role; <paramref name="Next"/>: ask again after this role for the next page
    /// (null: this is the last).</summary>
    public sealed record CouncilList(IReadOnlyList<CouncilDefinition> Councils, string? Next = null) : IClusterMessage;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("council-created.v1", typeof(CouncilCreated)),
        new("council-rejected.v1", typeof(CouncilRejected)),
        new("council-deleted.v1", typeof(CouncilDeleted)),
        new("council-not-found.v1", typeof(CouncilNotFound)),
        new("council-found.v1", typeof(CouncilFound)),
        new("council-list.v1", typeof(CouncilList)),
    ];
}

/// <summary>The council directory's journal and snapshot.</summary>
public static class CouncilDirectoryEvents
{
    /// <summary>A council was created for a role.</summary>
    public sealed record CouncilDefined(CouncilDefinition Council) : IPersistedEvent;

    /// <summary>The council of a role was deleted.</summary>
    public sealed record CouncilRemoved(string Role, DateTimeOffset At) : IPersistedEvent;

    /// <summary>Every council at a sequence number.</summary>
    public sealed record CouncilDirectorySnapshot(IReadOnlyList<CouncilDefinition> Councils) : ISnapshotState;

    internal static IEnumerable<MessageManifest> Manifests =>
    [
        new("council-defined.v1", typeof(CouncilDefined)),
        new("council-removed.v1", typeof(CouncilRemoved)),
        new("council-directory-snapshot.v1", typeof(CouncilDirectorySnapshot)),
    ];
}
