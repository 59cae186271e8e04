namespace Orchestrator.Api.Contracts.Diagnostics;

/// <summary>An actor of the tree: its path, type, mailbox depth, how many children it has and those shown.</summary>
public sealed record ActorNodeDto(string Path, string Type, int MailboxDepth, int ChildCount, IReadOnlyList<ActorNodeDto> Children);
