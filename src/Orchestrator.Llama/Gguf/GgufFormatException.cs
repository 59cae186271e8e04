namespace Orchestrator.Llama.Gguf;

/// <summary>A GGUF file that must not reach llama.cpp: the message says which file, where, and what is wrong.</summary>
public sealed class GgufFormatException(string path, string reason, Exception? inner = null)
    : Exception($"Invalid GGUF file '{path}': {reason}", inner)
{
    /// <summary>The file that was rejected.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; } = reason;
}
