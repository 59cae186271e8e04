namespace Orchestrator.Core.Validation;

/// <summary>How a message quotes what a caller gave (an id, a name): in full up to <see cref="MaxLength"/> characters,
/// cut with an ellipsis beyond, so that a refusal never repeats an unbounded input.</summary>
public static class InputEcho
{
    /// <summary>The most characters of an input a message repeats.</summary>
    public const int MaxLength = 64;

    /// <summary><paramref name="text"/> as a message quotes it: unchanged when short enough, otherwise its first
    /// <see cref="MaxLength"/> characters and '…'; an empty string for null.</summary>
    public static string Of(string? text) =>
        text is null ? "" : text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength), "…");
}
