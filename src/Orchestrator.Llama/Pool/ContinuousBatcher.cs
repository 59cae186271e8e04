using System.Collections.Concurrent;
using System.Diagnostics;
using LLama.Exceptions;
using LLama.Native;
using Orchestrator.Core.Models;
using Orchestrator.Llama.Files;
using Orchestrator.Llama.Gguf;
using Orchestrator.Llama.Native;
using Orchestrator.Llama.Probe;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Llama.Pool;

/// <summary>Continuous batching over one model and one context with <c>n_seq_max</c> sequences, as llama.cpp's server
/// does it, on LLamaSharp's <see cref="LLamaBatch"/>, <see cref="SafeLLamaContextHandle.Decode(LLamaBatch)"/> and a
/// <see cref="SafeLLamaSamplerChainHandle"/> per sequence: each step makes one decode over every active sequence (one
/// new token each, plus chunks of prompts being prefilled), samples each sequence's next token, streams it, and frees
/// a sequence's KV cells as soon as it ends. New requests join between steps. All native work runs on this object's
/// own thread; other threads only enqueue.</summary>
internal sealed class ContinuousBatcher
{
    private readonly PoolSettings _settings;
    private readonly Action<Exception> _onFault;
    private readonly Action<string, bool> _onFinished;
    private readonly Action? _onLoaded;
    private readonly ModelProbe? _probe;
    private long _generated;
    private int _activeCount;
    private readonly ConcurrentQueue<object> _inbox = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly LinkedList<PendingRequest> _waiting = new();
    private readonly List<SequenceSlot> _active = [];
    private readonly Stack<int> _freeSeqs = new();
    private readonly byte[] _piece = new byte[256];
    private volatile bool _stopping;
    private volatile string? _deadReason;
    private Thread? _thread;
    private readonly LLamaBatch _batch = new();
    private ModelWeights? _weights;
    private SafeLLamaContextHandle? _context;
    private int _ctxPerSequence;

    /// <summary>A batcher for <paramref name="settings"/>; <paramref name="onFinished"/> gets each request's id and
    /// whether it failed, <paramref name="onLoaded"/> is called once the model is loaded. Both run on the pool's thread.
    /// With a <paramref name="probe"/>, a file not seen before is first loaded in a child process.</summary>
    public ContinuousBatcher(PoolSettings settings, Action<Exception> onFault, Action<string, bool> onFinished, Action? onLoaded = null,
        ModelProbe? probe = null)
    {
        _probe = probe;
        _settings = settings;
        _onFault = onFault;
        _onFinished = onFinished;
        _onLoaded = onLoaded;
    }

    /// <summary>Tokens generated since the batcher started; safe to read from any thread.</summary>
    public long GeneratedTokens => Interlocked.Read(ref _generated);

    /// <summary>Sequences generating or prefilling now; safe to read from any thread.</summary>
    public int ActiveSequences => Volatile.Read(ref _activeCount);

    /// <summary>Set once the model is loaded: parameters, context per sequence.</summary>
    public volatile string? Description;

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = $"llama-pool-{_settings.Name}" };
        _thread.Start();
    }

    public void Submit(PendingRequest request) => Post(request);

    public void Cancel(string requestId) => Post(new CancelRequest(requestId));

    /// <summary>Ends the thread after its current step; requests still waiting or running get an error.</summary>
    public void Stop()
    {
        _stopping = true;
        _signal.Release();
    }

    /// <summary>Waits for the thread to end (tests and shutdown).</summary>
    public bool Join(TimeSpan timeout) => _thread?.Join(timeout) ?? true;

    private void Post(object message)
    {
        _inbox.Enqueue(message);
        _signal.Release();
        if (_deadReason is { } reason) FailInbox(reason);
    }

    /// <summary>Answers whatever is still queued once the thread has ended; safe from any thread.</summary>
    private void FailInbox(string reason)
    {
        while (_inbox.TryDequeue(out var message))
            if (message is PendingRequest p) Fail(p, FailureCodes.PoolFailed, reason);
    }

    private sealed record CancelRequest(string RequestId);

    private void Run()
    {
        try
        {
            Load();
            _onLoaded?.Invoke();
            while (!_stopping)
            {
                Drain();
                ExpireDeadlines();
                Admit();
                if (_active.Count == 0)
                {
                    _signal.Wait(NextDeadlineWait());
                    continue;
                }
                Step();
            }
            FailAll("the model pool stopped.");
        }
        catch (Exception e)
        {
            FailAll($"the model pool failed: {e.Message}");
            if (!_stopping) _onFault(e);
        }
        finally
        {
            _deadReason ??= "the model pool stopped.";
            FailInbox(_deadReason);
            foreach (var slot in _active) slot.Sampler.Dispose();
            _active.Clear();
            Volatile.Write(ref _activeCount, 0);
            _context?.Dispose();
            _weights?.Dispose();
        }
    }

    private void Load()
    {
        var path = RepositoryPaths.ResolveFile(_settings.Path);
        if (_probe is not null)
        {
            GgufValidator.ReadAndValidate(path); // the managed checks first, without a child process
            if (_probe.Check(path) is { Safe: false } verdict) throw new GgufFormatException(path, verdict.Reason);
        }
        _weights = ModelWeights.Load(path, _settings.GpuLayers, _settings.NativePath);
        _context = CreateContext(_weights, _settings);
        // Each sequence holds its share of the context, in one shared KV cache or its own: the sequences together never
        // ask for more cells than the cache has, so a decode never finds it full.
        _ctxPerSequence = (int)_context.ContextSize / _settings.Sequences;
        for (var s = _settings.Sequences - 1; s >= 0; s--) _freeSeqs.Push(s);
        Description = $"{_weights.ParameterCount} parameters, {_settings.Sequences} sequences of {_ctxPerSequence} tokens, " +
                      $"llama.cpp {LlamaRuntime.Variant}";
    }

    /// <summary>One context of <c>n_seq_max</c> = sequences over <paramref name="weights"/>, as the settings say.</summary>
    internal static SafeLLamaContextHandle CreateContext(ModelWeights weights, PoolSettings settings) =>
        weights.CreateContext(settings.Name, settings.ContextSize, settings.BatchSize, settings.Sequences, settings.EffectiveThreads,
            settings.KvUnified);

    private void Drain()
    {
        while (_inbox.TryDequeue(out var message))
        {
            switch (message)
            {
                case PendingRequest p:
                    _waiting.AddLast(p);
                    break;
                case CancelRequest c:
                    if (_active.FirstOrDefault(s => s.Pending.Id == c.RequestId) is { } slot) Finish(slot, StopReason.Cancelled);
                    else if (_waiting.FirstOrDefault(w => w.Id == c.RequestId) is { } w)
                    {
                        _waiting.Remove(w);
                        Answer(w, "", 0, 0, StopReason.Cancelled, w.ArrivedTicks, 0, 0);
                    }
                    break;
            }
        }
    }

    private void ExpireDeadlines()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var slot in _active.Where(s => s.Pending.DeadlineTicks < now).ToList()) Finish(slot, StopReason.Deadline);
        for (var node = _waiting.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.DeadlineTicks < now)
            {
                _waiting.Remove(node);
                Answer(node.Value, "", 0, 0, StopReason.Deadline, node.Value.ArrivedTicks, 0, 0);
            }
            node = next;
        }
    }

    private TimeSpan NextDeadlineWait()
    {
        var deadlines = _waiting.Select(w => w.DeadlineTicks).Where(d => d.HasValue).Select(d => d!.Value).ToList();
        if (deadlines.Count == 0) return Timeout.InfiniteTimeSpan;
        var ticks = Math.Max(0, deadlines.Min() - Stopwatch.GetTimestamp());
        return TimeSpan.FromSeconds((double)ticks / Stopwatch.Frequency) + TimeSpan.FromMilliseconds(1);
    }

    private void Admit()
    {
        while (_freeSeqs.Count > 0 && _waiting.First is { } node)
        {
            _waiting.RemoveFirst();
            var pending = node.Value;
            var r = pending.Request;
            int[] prompt;
            try
            {
                prompt = r.Messages is { Count: > 0 } messages
                    ? _weights!.Tokenize(_weights.ApplyChatTemplate(messages.Select(m => (m.Role, m.Content)).ToList()), true, true)
                    : _weights!.Tokenize(r.Prompt ?? "", true, false);
            }
            catch (InvalidOperationException e)
            {
                Fail(pending, FailureCodes.InvalidRequest, e.Message);
                continue;
            }
            if (prompt.Length == 0)
            {
                Fail(pending, FailureCodes.InvalidRequest, "the prompt is empty.");
                continue;
            }
            if (prompt.Length + 1 > _ctxPerSequence)
            {
                Fail(pending, FailureCodes.PromptTooLong,
                    $"the prompt has {prompt.Length} tokens; a sequence of model '{_settings.Name}' holds {_ctxPerSequence} (context-size / sequences), and at least one must be left for the answer.");
                continue;
            }
            var sampler = SamplerChain.Create(_weights, r.Sampling ?? new SamplingOptions(), pending.Grammar, out var error);
            if (sampler is null)
            {
                Fail(pending, FailureCodes.InvalidGrammar, error!);
                continue;
            }
            var seq = _freeSeqs.Pop();
            _context!.MemorySequenceRemove((LLamaSeqId)seq, -1, -1);
            _active.Add(new SequenceSlot(seq, pending, prompt, sampler));
            Volatile.Write(ref _activeCount, _active.Count);
        }
    }

    private void Step()
    {
        var batch = _batch;
        batch.Clear();
        foreach (var slot in _active)
        {
            slot.BatchIndex = -1;
            if (slot.Prefilling) continue;
            slot.BatchIndex = batch.Add(slot.LastToken, slot.Position++, (LLamaSeqId)slot.SeqId, true);
        }
        var budget = _settings.BatchSize - batch.TokenCount;
        foreach (var slot in _active)
        {
            if (budget <= 0) break;
            if (!slot.Prefilling) continue;
            var take = Math.Min(Math.Min(slot.Prompt.Length - slot.PromptFed, budget), _settings.PrefillChunk);
            for (var i = 0; i < take; i++)
            {
                var last = slot.PromptFed + 1 == slot.Prompt.Length;
                var index = batch.Add(slot.Prompt[slot.PromptFed++], slot.Position++, (LLamaSeqId)slot.SeqId, last);
                if (last) slot.BatchIndex = index;
            }
            budget -= take;
        }
        var rc = _context!.Decode(batch);
        if (rc != DecodeResult.Ok)
            throw new InvalidOperationException(rc == DecodeResult.NoKvSlot
                ? "llama_decode found no KV cache slot for the batch."
                : $"llama_decode failed with {rc} ({(int)rc}).");

        for (var i = 0; i < _active.Count; i++)
        {
            var slot = _active[i];
            if (slot.BatchIndex < 0) continue;
            try
            {
                _context.GetLogitsIth(slot.BatchIndex); // llama.cpp aborts when sampling an index without logits
            }
            catch (GetLogitsInvalidIndexException)
            {
                Fail(slot, $"llama.cpp produced no logits at batch index {slot.BatchIndex}.");
                i--;
                continue;
            }
            var token = (int)slot.Sampler.Sample(_context, slot.BatchIndex);
            var before = _active.Count;
            OnToken(slot, token);
            if (_active.Count < before) i--;
        }
    }

    private void OnToken(SequenceSlot slot, int token)
    {
        if (slot.Generated == 0) slot.FirstTokenTicks = Stopwatch.GetTimestamp();
        slot.Generated++;
        Interlocked.Increment(ref _generated);
        if (_weights!.IsEndOfGeneration(token))
        {
            Finish(slot, StopReason.EndOfText);
            return;
        }
        var n = _weights.TokenToPiece(token, _piece);
        var (emit, stopped) = slot.Stops.Feed(slot.Decode(_piece.AsSpan(0, n)));
        Emit(slot, emit);
        if (stopped) Finish(slot, StopReason.StopString);
        else if (slot.Generated >= slot.Pending.Request.MaxTokens) Finish(slot, StopReason.MaxTokens);
        else if (slot.Position >= _ctxPerSequence) Finish(slot, StopReason.ContextFull);
        else slot.LastToken = token;
    }

    private static void Emit(SequenceSlot slot, string text)
    {
        if (text.Length == 0) return;
        slot.Append(text);
        if (slot.Pending.Request.Stream)
            slot.Pending.Reply(new TokenChunk(slot.Pending.Id, slot.ChunkIndex++, text));
    }

    private void Finish(SequenceSlot slot, StopReason reason)
    {
        if (reason != StopReason.StopString) Emit(slot, slot.Stops.Flush());
        Release(slot);
        Answer(slot.Pending, slot.Text, slot.Prompt.Length, slot.Generated, reason, slot.AdmittedTicks,
            slot.FirstTokenTicks, Stopwatch.GetTimestamp());
    }

    private void Release(SequenceSlot slot)
    {
        _active.Remove(slot);
        Volatile.Write(ref _activeCount, _active.Count);
        _context!.MemorySequenceRemove((LLamaSeqId)slot.SeqId, -1, -1);
        slot.Sampler.Dispose();
        _freeSeqs.Push(slot.SeqId);
    }

    private void Answer(PendingRequest p, string text, int promptTokens, int completion, StopReason reason,
        long admitted, long firstToken, long end)
    {
        static TimeSpan Span(long from, long to) => to > from ? Stopwatch.GetElapsedTime(from, to) : TimeSpan.Zero;
        var timings = new GenerateTimings(
            Queued: Span(p.ArrivedTicks, admitted),
            Prompt: Span(admitted, firstToken),
            FirstToken: Span(p.ArrivedTicks, firstToken),
            Generation: Span(firstToken, end));
        p.Reply(new GenerateResult(p.Id, _settings.Name, text, promptTokens, completion, reason, timings));
        _onFinished(p.Id, false);
    }

    private void Fail(SequenceSlot slot, string reason)
    {
        Release(slot);
        Fail(slot.Pending, FailureCodes.PoolFailed, reason);
    }

    private void Fail(PendingRequest p, string code, string reason)
    {
        p.Reply(new GenerateFailed(p.Id, _settings.Name, code, reason));
        _onFinished(p.Id, true);
    }

    private void FailAll(string reason)
    {
        _deadReason = reason;
        Drain();
        foreach (var slot in _active) Fail(slot.Pending, FailureCodes.PoolFailed, reason);
        foreach (var w in _waiting) Fail(w, FailureCodes.PoolFailed, reason);
        _waiting.Clear();
    }
}
