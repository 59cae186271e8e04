using LLama.Native;
using Orchestrator.Core.Protocol;
using Orchestrator.Llama.Native;

namespace Orchestrator.Llama.Tests;

/// <summary>The response protocol's grammar, run by llama.cpp's grammar sampler over the byte tokens of a generated
/// model: inside a string it admits any valid UTF-8, and no byte that would make the reply invalid UTF-8 (a lead byte
/// past U+10FFFF, a surrogate, a lone continuation byte).</summary>
public sealed class ProtocolGrammarUtf8Spec
{
    private const int FirstByteToken = 3; // <unk>, <s>, </s>, then <0x00>..<0xFF>

    private static readonly string InsideString =
        $"{ResponseParser.StartMarker}\n{{\"phase\":\"{ResponsePhases.Name(ResponsePhase.Analysis)}\",\"data\":{{\"summary\":\"";

    [Fact]
    public void Inside_a_string_only_bytes_that_can_continue_valid_utf8_are_admitted()
    {
        using var weights = ModelWeights.Load(TestModels.Tiny, 0);
        using var chain = InsideAString(weights);

        var admitted = Admitted(chain, Enumerable.Range(0, 256).Select(b => (byte)b));
        Assert.Contains((byte)'a', admitted);
        Assert.Contains((byte)'"', admitted);                 // the string may end
        Assert.Contains((byte)0xC3, admitted);                // é starts
        Assert.Contains((byte)0xF0, admitted);                // an emoji starts
        Assert.DoesNotContain((byte)0x0A, admitted);          // raw control characters must be escaped
        Assert.DoesNotContain((byte)0x7F, admitted);
        for (var b = 0x80; b <= 0xBF; b++) Assert.DoesNotContain((byte)b, admitted); // lone continuation bytes
        for (var b = 0xF5; b <= 0xFF; b++) Assert.DoesNotContain((byte)b, admitted); // past U+10FFFF, or never UTF-8
    }

    [Fact]
    public void A_surrogate_cannot_be_spelled_in_utf8()
    {
        using var weights = ModelWeights.Load(TestModels.Tiny, 0);
        using var chain = InsideAString(weights);
        chain.Accept(ByteToken(weights, 0xED)); // U+D000..U+DFFF so far: U+D000..U+D7FF are fine
        var admitted = Admitted(chain, Enumerable.Range(0x80, 0x40).Select(b => (byte)b));
        Assert.Contains((byte)0x9F, admitted);                          // ED 9F xx: U+D7C0..U+D7FF
        for (var b = 0xA0; b <= 0xBF; b++) Assert.DoesNotContain((byte)b, admitted); // ED A0..BF: surrogates
    }

    [Fact]
    public void Nothing_past_U_10FFFF_can_be_spelled()
    {
        using var weights = ModelWeights.Load(TestModels.Tiny, 0);
        using var chain = InsideAString(weights);
        chain.Accept(ByteToken(weights, 0xF4)); // U+100000..U+13FFFF so far
        var admitted = Admitted(chain, Enumerable.Range(0x80, 0x40).Select(b => (byte)b));
        Assert.Contains((byte)0x8F, admitted);                          // F4 8F: up to U+10FFFF
        for (var b = 0x90; b <= 0xBF; b++) Assert.DoesNotContain((byte)b, admitted);
    }

    /// <summary>A chain holding only the protocol grammar, fed the reply up to the opening quote of a string.</summary>
    private static SafeLLamaSamplerChainHandle InsideAString(ModelWeights weights)
    {
        var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        chain.AddGrammar(weights.Vocab, ProtocolGrammar.Build(ResponsePhase.Analysis), "root");
        // Fed byte by byte: every byte of this ASCII prefix is one token, which the grammar admits.
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(InsideString))
        {
            Assert.Contains(b, Admitted(chain, [b]));
            chain.Accept(ByteToken(weights, b));
        }
        return chain;
    }

    private static LLamaToken ByteToken(ModelWeights weights, byte b)
    {
        var token = FirstByteToken + b;
        Span<byte> piece = stackalloc byte[8];
        Assert.Equal(1, weights.TokenToPiece(token, piece));
        Assert.Equal(b, piece[0]);
        return token;
    }

    /// <summary>The bytes among <paramref name="bytes"/> whose token the grammar leaves possible next.</summary>
    private static List<byte> Admitted(SafeLLamaSamplerChainHandle chain, IEnumerable<byte> bytes)
    {
        var candidates = bytes.ToArray();
        var data = candidates.Select(b => new LLamaTokenData(FirstByteToken + b, 0f, 0f)).ToArray();
        using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(data), out var native))
            chain.Apply(ref native);
        return candidates.Where((_, i) => !float.IsNegativeInfinity(data[i].Logit)).ToList();
    }
}
