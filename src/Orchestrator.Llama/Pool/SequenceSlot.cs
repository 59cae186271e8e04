using System.Diagnostics;
using System.Text;
using LLama.Native;

namespace Orchestrator.Llama.Pool;

/// <summary>One sequence of the context while it serves a request: prompt progress, position, sampler, and the text
/// produced so far (decoded incrementally, so a character split over byte tokens is emitted whole).</summary>
internal sealed class SequenceSlot(int seqId, PendingRequest pending, int[] prompt, SafeLLamaSamplerChainHandle sampler)
{
    private readonly Decoder _utf8 = new UTF8Encoding(false, false).GetDecoder();
    private readonly StringBuilder _text = new();

    public int SeqId { get; } = seqId;
    public PendingRequest Pending { get; } = pending;
    public int[] Prompt { get; } = prompt;
    public SafeLLamaSamplerChainHandle Sampler { get; } = sampler;
    public StopStringMatcher Stops { get; } = new(pending.Request.Stop);
    public long AdmittedTicks { get; } = Stopwatch.GetTimestamp();
    public long FirstTokenTicks { get; set; }

    /// <summary>Prompt tokens already in the KV cache.</summary>
    public int PromptFed { get; set; }

    /// <summary>Next position in the sequence.</summary>
    public int Position { get; set; }

    /// <summary>The token to feed next step once the prompt is in.</summary>
    public int LastToken { get; set; }

    /// <summary>Index of this slot's output in the current batch, or -1.</summary>
    public int BatchIndex { get; set; } = -1;

    public int Generated { get; set; }
    public int ChunkIndex { get; set; }
    public bool Prefilling => PromptFed < Prompt.Length;
    public string Text => _text.ToString();

    /// <summary>Turns a token's bytes into whatever complete characters they finish.</summary>
    public string Decode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[_utf8.GetCharCount(bytes, flush: false)];
        var n = _utf8.GetChars(bytes, chars, flush: false);
        return new string(chars, 0, n);
    }

    public void Append(string text) => _text.Append(text);
}
