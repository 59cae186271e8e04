namespace Orchestrator.Core.Messaging;

/// <summary>State saved to the snapshot store. Registered in <c>MessageCatalog</c> like events.</summary>
public interface ISnapshotState;
