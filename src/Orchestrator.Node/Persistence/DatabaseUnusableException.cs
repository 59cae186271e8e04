namespace Orchestrator.Node.Persistence;

/// <summary>The journal's database cannot be used at all (a corrupt or foreign file, no permission, a folder that cannot
/// be created): the message names the file and what to do, and the node does not start.</summary>
public sealed class DatabaseUnusableException(string message, Exception? inner) : Exception(message, inner);
