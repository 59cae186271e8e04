namespace Orchestrator.Llama.Grammar;

/// <summary>A JSON schema that cannot be turned into a grammar; the message says where (a JSON pointer) and why.</summary>
public sealed class JsonSchemaException(string message) : Exception(message);
