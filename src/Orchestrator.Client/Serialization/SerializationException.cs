namespace Orchestrator.Client.Serialization;

/// <summary>A payload could not be written or read: an unregistered type, an unknown manifest, or a corrupted body.</summary>
public sealed class SerializationException(string message, Exception? inner = null) : Exception(message, inner);
