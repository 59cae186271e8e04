namespace Orchestrator.Llama.Chat;

/// <summary>A model refused or failed a request made through <see cref="LlamaChatClient"/>: <see cref="Code"/> is one of
/// <c>ModelMessages.FailureCodes</c>, or <c>overloaded</c> when the pool's queue was full.</summary>
public sealed class LlamaGenerationException(string model, string code, string reason)
    : Exception($"Model '{model}' could not answer ({code}): {reason}")
{
    /// <summary>The model asked.</summary>
    public string Model { get; } = model;

    /// <summary>Why, as a code.</summary>
    public string Code { get; } = code;
}
