using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using Microsoft.Extensions.AI;
using Orchestrator.Core.Models;
using Orchestrator.Llama.Pool;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Llama.Endpoints;

/// <summary>A model served by an endpoint elsewhere, in the place a <see cref="ModelPool"/> takes under the
/// <see cref="ModelManager"/> (<c>pool-&lt;name&gt;</c>) and speaking the same protocol: each <see cref="Generate"/> is a
/// streamed chat call through an <see cref="IChatClient"/> (OpenAI's client for an OpenAI-compatible server), its text
/// relayed as <see cref="TokenChunk"/>s when asked for, then one <see cref="GenerateResult"/> with the endpoint's token
/// counts, or <see cref="GenerateFailed"/> with why (the endpoint down, its refusal, an answer that is not a chat
/// completion). At most <c>max-concurrent</c> calls run at once, <c>queue-size</c> more wait, beyond that
/// <see cref="Overloaded"/>. <see cref="CancelGenerate"/> and the request's deadline stop the call.</summary>
public sealed class EndpointModel : ReceiveActor, IWithTimers
{
    private readonly EndpointSettings _settings;
    private readonly IChatClient _client;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, Call> _running = new(StringComparer.Ordinal);
    private readonly LinkedList<(Generate Request, IActorRef Requester, Stopwatch Queued)> _waiting = new();
    private long _tokens;
    private long _served;
    private long _failed;
    private long _rejected;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of the model <paramref name="settings"/> name, called through <paramref name="client"/>.</summary>
    public static Props Props(EndpointSettings settings, IChatClient client) =>
        Akka.Actor.Props.Create(() => new EndpointModel(settings.Validate(), client));

    /// <summary>The model <paramref name="settings"/> name as a <see cref="ModelManager"/> serves it, called through
    /// <paramref name="client"/>.</summary>
    public static ExternalModel Served(EndpointSettings settings, IChatClient client) =>
        new(settings.Name, Props(settings, client), settings.Url.ToString(), settings.MaxConcurrent);

    private sealed record Call(IActorRef Requester, CancellationTokenSource Stop)
    {
        public StopReason? StoppedBecause { get; set; }
    }

    private sealed record CallEnded(string RequestId, object Reply, int Tokens) : INoSerializationVerificationNeeded;

    private sealed record CallDeadline(string RequestId) : INoSerializationVerificationNeeded;

    /// <summary>Creates the model's actor.</summary>
    public EndpointModel(EndpointSettings settings, IChatClient client)
    {
        _settings = settings;
        _client = client;
        Receive<Generate>(OnGenerate);
        Receive<CancelGenerate>(c => Stop(c.RequestId, StopReason.Cancelled));
        Receive<CallDeadline>(d => Stop(d.RequestId, StopReason.Deadline));
        Receive<CallEnded>(OnCallEnded);
        Receive<ModelQueries.GetModelStats>(_ => Sender.Tell(new ModelQueries.ModelStats(_settings.Name, true, _waiting.Count, _running.Count,
            _settings.MaxConcurrent, 0, ModelPool.RateWindow, _tokens, _served, _failed, _rejected, ModelManager.ExternalVariant)));
        Receive<ModelPool.GetStatus>(_ => Sender.Tell(new ModelPool.PoolStatus(_settings.Name, $"endpoint {_settings.Url}",
            _running.Count + _waiting.Count, _settings.MaxConcurrent + _settings.QueueSize)));
    }

    private void OnGenerate(Generate g)
    {
        var inFlight = g.RequestId is { } id && (_running.ContainsKey(id) || _waiting.Any(w => w.Request.RequestId == id));
        if (RequestIds.Refusal(g.RequestId, inFlight) is { } refused)
        {
            Sender.Tell(new GenerateFailed(g.RequestId ?? "", _settings.Name, FailureCodes.InvalidRequest, refused));
            return;
        }
        if (_running.Count < _settings.MaxConcurrent)
        {
            Begin(g, Sender, TimeSpan.Zero);
            return;
        }
        if (_waiting.Count >= _settings.QueueSize)
        {
            _rejected++;
            Sender.Tell(new Overloaded(g.RequestId, _settings.Name, _waiting.Count));
            return;
        }
        _waiting.AddLast((g, Sender, Stopwatch.StartNew()));
    }

    private void Begin(Generate g, IActorRef requester, TimeSpan queued)
    {
        IReadOnlyList<ChatMessage> messages;
        ChatOptions options;
        try
        {
            messages = GenerateAsChat.Messages(g);
            options = GenerateAsChat.Options(g, _settings.RemoteModel);
        }
        catch (JsonException e)
        {
            _failed++;
            requester.Tell(new GenerateFailed(g.RequestId, _settings.Name, FailureCodes.InvalidGrammar, $"the JSON schema is not JSON: {e.Message}"));
            return;
        }
        var call = new Call(requester, new CancellationTokenSource());
        _running[g.RequestId] = call;
        if (g.Timeout is { } timeout)
            Timers.StartSingleTimer(g.RequestId, new CallDeadline(g.RequestId), timeout);
        var self = Self;
        _ = RunAsync(g, messages, options, call, queued).ContinueWith(t => self.Tell(t.Result), TaskScheduler.Default);
    }

    /// <summary>The call itself, off the actor: chunks go straight to the requester; the end comes back as
    /// <see cref="CallEnded"/>, which the actor answers.</summary>
    private async Task<CallEnded> RunAsync(Generate g, IReadOnlyList<ChatMessage> messages, ChatOptions options, Call call, TimeSpan queued)
    {
        var text = new StringBuilder();
        var clock = Stopwatch.StartNew();
        TimeSpan? first = null;
        UsageDetails? usage = null;
        ChatFinishReason? finish = null;
        var index = 0;
        try
        {
            await foreach (var update in _client.GetStreamingResponseAsync(messages, options, call.Stop.Token).ConfigureAwait(false))
            {
                if (update.Text.Length > 0)
                {
                    first ??= clock.Elapsed;
                    text.Append(update.Text);
                    if (g.Stream) call.Requester.Tell(new TokenChunk(g.RequestId, index++, update.Text));
                }
                finish = update.FinishReason ?? finish;
                usage = update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details ?? usage;
            }
        }
        catch (Exception) when (call.Stop.IsCancellationRequested)
        {
            finish = null; // stopped (cancelled or past its deadline): the reason is the call's
        }
        catch (Exception e)
        {
            return new CallEnded(g.RequestId, new GenerateFailed(g.RequestId, _settings.Name, FailureCodes.PoolFailed,
                $"the endpoint {_settings.Url} of model '{_settings.Name}' failed: {Describe(e)}"), 0);
        }
        if (call.StoppedBecause is null && finish is null)
            return new CallEnded(g.RequestId, new GenerateFailed(g.RequestId, _settings.Name, FailureCodes.PoolFailed,
                $"the endpoint {_settings.Url} of model '{_settings.Name}' answered something that is not a chat completion " +
                "(its stream ended without a finish reason)"), 0);
        var completion = (int)(usage?.OutputTokenCount ?? 0);
        var reason = call.StoppedBecause ?? (finish == ChatFinishReason.Length ? StopReason.MaxTokens : StopReason.EndOfText);
        return new CallEnded(g.RequestId, new GenerateResult(g.RequestId, _settings.Name, text.ToString(), (int)(usage?.InputTokenCount ?? 0),
            completion, reason, new GenerateTimings(queued, TimeSpan.Zero, first ?? clock.Elapsed, clock.Elapsed)), completion);
    }

    /// <summary>Why a call failed, in words, without a stack: the client's own message (the status and the server's
    /// error for a refusal, the socket's error for an endpoint that is down).</summary>
    private static string Describe(Exception e) => e switch
    {
        AggregateException { InnerExceptions: [var first, ..] } => Describe(first),
        HttpRequestException h => $"not reachable ({h.Message})",
        { InnerException: HttpRequestException h } => $"not reachable ({h.Message})", // the client's own wrapping
        JsonException => "its answer is not an OpenAI chat completion",
        _ => e.Message.Length > 0 ? e.Message : e.GetType().Name,
    };

    private void OnCallEnded(CallEnded ended)
    {
        if (!_running.Remove(ended.RequestId, out var call)) return;
        Timers.Cancel(ended.RequestId);
        call.Stop.Dispose();
        if (ended.Reply is GenerateFailed failed)
        {
            _failed++;
            _log.Warning("Model {Model}: {Reason}", _settings.Name, failed.Reason);
        }
        else
        {
            _served++;
            _tokens += ended.Tokens;
        }
        call.Requester.Tell(ended.Reply);
        if (_waiting.First is { } next)
        {
            _waiting.RemoveFirst();
            Begin(next.Value.Request, next.Value.Requester, next.Value.Queued.Elapsed);
        }
    }

    private void Stop(string requestId, StopReason why)
    {
        if (_running.TryGetValue(requestId, out var call))
        {
            call.StoppedBecause ??= why;
            call.Stop.Cancel();
            return;
        }
        for (var node = _waiting.First; node is not null; node = node.Next)
        {
            if (node.Value.Request.RequestId != requestId) continue;
            _waiting.Remove(node);
            node.Value.Requester.Tell(new GenerateResult(requestId, _settings.Name, "", 0, 0, why,
                new GenerateTimings(node.Value.Queued.Elapsed, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero)));
            return;
        }
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        var reason = $"the model '{_settings.Name}' stopped.";
        foreach (var (id, call) in _running)
        {
            call.Stop.Cancel();
            call.Requester.Tell(new GenerateFailed(id, _settings.Name, FailureCodes.PoolFailed, reason));
        }
        foreach (var (request, requester, _) in _waiting)
            requester.Tell(new GenerateFailed(request.RequestId, _settings.Name, FailureCodes.PoolFailed, reason));
        _running.Clear();
        _waiting.Clear();
    }
}
