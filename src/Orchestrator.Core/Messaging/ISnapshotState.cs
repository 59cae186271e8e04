namespace Orchestrator.Core.Messaging;

/// <summary>State saved to the snapshot store. Registered in <see cref="MessageCatalog"/> like events.</summary>
public interface ISnapshotState;
