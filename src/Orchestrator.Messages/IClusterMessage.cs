namespace Orchestrator.Messages;

/// <summary>A command, query or reply that may cross nodes (or arrive from another application's ActorSystem).
/// Registered in <c>ManifestCatalog</c>; its fields are plain data.</summary>
public interface IClusterMessage;
