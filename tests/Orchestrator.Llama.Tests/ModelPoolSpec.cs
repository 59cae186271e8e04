using Akka.Actor;
using Akka.TestKit.Xunit2;
using Orchestrator.Llama.Pool;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Llama.Tests;

public sealed class ModelPoolSpec : TestKit
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly IActorRef _models;

    public ModelPoolSpec() : base("akka.loglevel = WARNING\nakka.actor.serialize-messages = on")
    {
        _models = Sys.ActorOf(ModelManager.Props([Settings("tiny")]), "models");
    }

    internal static PoolSettings Settings(string name, int sequences = 4, int queue = 64, int context = 2048) =>
        new(name, TestModels.Tiny, ContextSize: context, Sequences: sequences, Threads: 1, BatchSize: 256,
            PrefillChunk: 32, QueueSize: queue);

    /// <summary>One sequence of 16k tokens: long enough that an endless request is still running when it is cancelled
    /// or its deadline passes, however fast the machine.</summary>
    private IActorRef LongContextModels() =>
        Sys.ActorOf(ModelManager.Props([Settings("big", sequences: 1, context: 16_384)]), "big-models");

    private static Generate Greedy(string id, string prompt, int maxTokens = 16, IReadOnlyList<string>? stop = null) =>
        new(id, "tiny", Prompt: prompt, Sampling: SamplingOptions.Greedy with { IgnoreEos = true }, MaxTokens: maxTokens,
            Stop: stop, Stream: true);

    private GenerateResult Run(Generate g, IActorRef? target = null)
    {
        (target ?? _models).Tell(g);
        return CollectResult(g.RequestId).Result;
    }

    private (GenerateResult Result, List<TokenChunk> Chunks) CollectResult(string id)
    {
        var chunks = new List<TokenChunk>();
        while (true)
        {
            var message = ExpectMsg<object>(Deadline);
            switch (message)
            {
                case TokenChunk c when c.RequestId == id: chunks.Add(c); break;
                case GenerateResult r when r.RequestId == id: return (r, chunks);
                case GenerateFailed f: throw new Xunit.Sdk.XunitException($"Request {f.RequestId} failed: {f.Code}: {f.Reason}");
                default: throw new Xunit.Sdk.XunitException($"Unexpected {message}");
            }
        }
    }

    [Fact]
    public void Generates_the_requested_number_of_tokens_and_streams_them_in_order()
    {
        var (result, chunks) = (Run(Greedy("a", "The plan is", maxTokens: 12)), new List<TokenChunk>());
        Assert.Equal(StopReason.MaxTokens, result.StopReason);
        Assert.Equal(12, result.CompletionTokens);
        Assert.True(result.PromptTokens > 1);
        Assert.True(result.Timings.FirstToken > TimeSpan.Zero);

        _models.Tell(Greedy("b", "The plan is", maxTokens: 12));
        (var again, chunks) = CollectResult("b");
        Assert.Equal(result.Text, again.Text);
        Assert.Equal(again.Text, string.Concat(chunks.Select(c => c.Text)));
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Index));
    }

    [Fact]
    public void With_one_shared_KV_cache_each_sequence_holds_its_share_and_the_cache_never_fills()
    {
        // 4 sequences over 512 cells: each may hold 128 tokens. Eight requests that would each run to 500 tokens, in two
        // waves through the four sequences (freed cells are reused in another order): held to its share, every one
        // stops with ContextFull; let any run past it and a decode finds the cache full and the pool fails.
        var shared = Sys.ActorOf(ModelManager.Props([Settings("tiny", sequences: 4, context: 512) with { KvUnified = true }]), "shared-kv");
        for (var i = 0; i < 8; i++) shared.Tell(Greedy($"full-{i}", $"Request {i}: the plan is to write every task down", maxTokens: 500));

        var results = Enumerable.Range(0, 8).Select(_ => ExpectResult()).ToList();

        Assert.All(results, r => Assert.Equal(StopReason.ContextFull, r.StopReason));
        // 128 cells: the prompt and every token but the last, which is sampled and never decoded.
        Assert.All(results, r => Assert.Equal(128 + 1, r.PromptTokens + r.CompletionTokens));
    }

    /// <summary>The next result of any request, skipping token chunks; a failure fails the test.</summary>
    private GenerateResult ExpectResult()
    {
        while (true)
        {
            switch (ExpectMsg<object>(Deadline))
            {
                case TokenChunk: continue;
                case GenerateResult r: return r;
                case var other: throw new Xunit.Sdk.XunitException($"Unexpected {other}");
            }
        }
    }

    [Fact]
    public void A_seed_makes_sampling_deterministic_and_different_seeds_differ()
    {
        Generate Sampled(string id, uint seed) => new(id, "tiny", Prompt: "Once upon a time",
            Sampling: new SamplingOptions(Temperature: 1.0f, TopK: 0, TopP: 1f, MinP: 0f, Seed: seed, IgnoreEos: true),
            MaxTokens: 24, Stream: false);
        var first = Run(Sampled("s1", 7));
        var second = Run(Sampled("s2", 7));
        Assert.Equal(first.Text, second.Text);
        var others = Enumerable.Range(0, 4).Select(i => Run(Sampled($"o{i}", (uint)(100 + i))).Text).ToList();
        Assert.Contains(others, t => t != first.Text);
    }

    [Fact]
    public void Greedy_output_from_a_shared_batch_equals_the_same_request_alone()
    {
        string[] prompts = ["alpha beta", "The answer to the question", "x", "json value name type true false"];
        var alone = prompts.Select((p, i) => Run(Greedy($"alone-{i}", p, maxTokens: 20)).Text).ToList();
        for (var i = 0; i < prompts.Length; i++) _models.Tell(Greedy($"shared-{i}", prompts[i], maxTokens: 20));
        var shared = new Dictionary<string, string>();
        while (shared.Count < prompts.Length)
        {
            var m = ExpectMsg<object>(Deadline);
            if (m is GenerateResult r) shared[r.RequestId] = r.Text;
            else if (m is GenerateFailed f) Assert.Fail($"{f.Code}: {f.Reason}");
        }
        for (var i = 0; i < prompts.Length; i++) Assert.Equal(alone[i], shared[$"shared-{i}"]);
    }

    [Fact]
    public void A_stop_string_ends_generation_and_is_not_part_of_the_text()
    {
        var free = Run(Greedy("free", "Hello there", maxTokens: 30)).Text;
        Assert.True(free.Length >= 6, $"need some text to cut: '{free}'");
        var stop = free.Substring(free.Length / 2, 2);
        var cut = free[..free.IndexOf(stop, StringComparison.Ordinal)];
        _models.Tell(Greedy("stopped", "Hello there", maxTokens: 30, stop: new[] { stop }));
        var (result, chunks) = CollectResult("stopped");
        Assert.Equal(StopReason.StopString, result.StopReason);
        Assert.Equal(cut, result.Text);
        Assert.DoesNotContain(stop, string.Concat(chunks.Select(c => c.Text)));
    }

    [Fact]
    public void Cancellation_ends_a_running_request_with_its_text_so_far()
    {
        var big = LongContextModels();
        big.Tell(Greedy("long", "Tell me everything", maxTokens: 100_000) with { Model = "big" });
        ExpectMsg<TokenChunk>(c => c.RequestId == "long", Deadline);
        big.Tell(new CancelGenerate("long", "big"));
        var (result, _) = CollectResultSkippingChunks("long");
        Assert.Equal(StopReason.Cancelled, result.StopReason);
        Assert.True(result.CompletionTokens < 100_000);
        Assert.Equal(StopReason.MaxTokens, Run(Greedy("after", "still serving", maxTokens: 4)).StopReason);
    }

    [Fact]
    public void A_deadline_ends_a_request_that_runs_too_long()
    {
        LongContextModels().Tell(Greedy("slow", "Tell me everything", maxTokens: 100_000) with
        {
            Model = "big",
            Timeout = TimeSpan.FromMilliseconds(300),
            Stream = false,
        });
        var result = ExpectMsg<GenerateResult>(Deadline);
        Assert.Equal(StopReason.Deadline, result.StopReason);
    }

    private (GenerateResult, int) CollectResultSkippingChunks(string id)
    {
        var n = 0;
        while (true)
        {
            var m = ExpectMsg<object>(Deadline);
            if (m is TokenChunk) { n++; continue; }
            if (m is GenerateResult r && r.RequestId == id) return (r, n);
            throw new Xunit.Sdk.XunitException($"Unexpected {m}");
        }
    }

    [Fact]
    public void Many_concurrent_requests_are_all_answered()
    {
        const int count = 24;
        for (var i = 0; i < count; i++) _models.Tell(Greedy($"c{i}", $"request number {i}", maxTokens: 8) with { Stream = false });
        var results = Enumerable.Range(0, count).Select(_ => ExpectMsg<GenerateResult>(Deadline)).ToList();
        Assert.Equal(count, results.Select(r => r.RequestId).Distinct().Count());
        Assert.All(results, r => Assert.Equal(8, r.CompletionTokens));
    }

    [Fact]
    public void A_long_prompt_is_prefilled_in_chunks_without_changing_short_answers()
    {
        var shortAlone = Run(Greedy("short-alone", "short one", maxTokens: 10)).Text;
        var longPrompt = string.Join(" ", Enumerable.Repeat("the agent will plan the task and answer", 20));
        _models.Tell(Greedy("long", longPrompt, maxTokens: 10) with { Stream = false });
        _models.Tell(Greedy("short", "short one", maxTokens: 10) with { Stream = false });
        var results = new[] { ExpectMsg<GenerateResult>(Deadline), ExpectMsg<GenerateResult>(Deadline) }.ToDictionary(r => r.RequestId);
        Assert.True(results["long"].PromptTokens > 200);
        Assert.Equal(shortAlone, results["short"].Text);
        // The short request was not held behind the whole long prefill.
        Assert.True(results["short"].Timings.FirstToken <= results["long"].Timings.FirstToken);
    }

    [Fact]
    public void Bad_requests_get_errors_and_the_pool_keeps_serving()
    {
        var longPrompt = string.Join(" ", Enumerable.Repeat("overflow", 2000));
        _models.Tell(Greedy("too-long", longPrompt));
        Assert.Equal(FailureCodes.PromptTooLong, ExpectMsg<GenerateFailed>(Deadline).Code);

        _models.Tell(Greedy("bad-grammar", "x") with { Grammar = "root ::= [unclosed" });
        Assert.Equal(FailureCodes.InvalidGrammar, ExpectMsg<GenerateFailed>(Deadline).Code);

        _models.Tell(Greedy("bad-schema", "x") with { JsonSchema = "{\"type\": \"wat\"}" });
        Assert.Equal(FailureCodes.InvalidGrammar, ExpectMsg<GenerateFailed>(Deadline).Code);

        _models.Tell(Greedy("no-model", "x") with { Model = "nope" });
        Assert.Equal(FailureCodes.UnknownModel, ExpectMsg<GenerateFailed>(Deadline).Code);

        _models.Tell(new Generate("empty", "tiny"));
        Assert.Equal(FailureCodes.InvalidRequest, ExpectMsg<GenerateFailed>(Deadline).Code);

        _models.Tell(Greedy("zero", "x", maxTokens: 0));
        Assert.Equal(FailureCodes.InvalidRequest, ExpectMsg<GenerateFailed>(Deadline).Code);

        Assert.Equal(5, Run(Greedy("fine", "still here", maxTokens: 5)).CompletionTokens);
    }

    [Fact]
    public void A_full_queue_answers_overloaded()
    {
        var pool = Sys.ActorOf(ModelManager.Props([Settings("small", sequences: 1, queue: 1)]), "small-models");
        for (var i = 0; i < 4; i++)
            pool.Tell(new Generate($"q{i}", "small", Prompt: "go", Sampling: SamplingOptions.Greedy with { IgnoreEos = true },
                MaxTokens: 64, Stream: false));
        var replies = Enumerable.Range(0, 4).Select(_ => ExpectMsg<object>(Deadline)).ToList();
        Assert.Equal(2, replies.OfType<Overloaded>().Count());
        Assert.Equal(2, replies.OfType<GenerateResult>().Count());
    }
}
