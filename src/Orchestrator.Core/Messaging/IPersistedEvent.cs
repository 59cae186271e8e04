namespace Orchestrator.Core.Messaging;

/// <summary>An event written to the journal. Every implementation is registered in <c>MessageCatalog</c>
/// under a stable, versioned manifest name, and carries only what replay needs (no actor refs, no live objects).</summary>
public interface IPersistedEvent;
