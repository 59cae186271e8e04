namespace Orchestrator.Messages;

/// <summary>One entry of the message registry: a stable manifest name (<c>task-dispatched.v1</c>) and the type it names.</summary>
public sealed record MessageManifest(string Name, Type Type);
