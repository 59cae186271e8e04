namespace Orchestrator.Node.Configuration;

/// <summary>The node's configuration is wrong: the message names the key, the file it came from and what was expected.</summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
