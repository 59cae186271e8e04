using Akka.Actor;
using Orchestrator.Core.Models;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Engine.Sessions;

/// <summary>Asks the summarizer agent (one <c>Generate</c> to the model of its role) to fold the oldest turns of a
/// session's conversation into a summary, then tells its session <see cref="Summary"/> (with the text, or the reason it
/// has none) and stops. A child of the session; the session persists the summary, or logs the failure and tries again
/// at the next completion.</summary>
internal sealed class ContextSummarizer : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly IActorRef _models;
    private readonly string _requestId;
    private readonly string _model;
    private readonly Generate _request;
    private readonly TimeSpan _timeout;
    private bool _reported;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of a summarizer asking <paramref name="model"/> with <paramref name="prompt"/> to fold
    /// <paramref name="turnsFolded"/> turns.</summary>
    public static Props Props(string sessionId, int request, string model, string prompt, int turnsFolded, IActorRef models,
        int maxTokens, SamplingOptions? sampling, TimeSpan timeout) =>
        Akka.Actor.Props.Create(() => new ContextSummarizer(sessionId, request, model, prompt, turnsFolded, models, maxTokens, sampling, timeout));

    /// <summary>Created through <see cref="Props"/>.</summary>
    public ContextSummarizer(string sessionId, int request, string model, string prompt, int turnsFolded, IActorRef models,
        int maxTokens, SamplingOptions? sampling, TimeSpan timeout)
    {
        _models = models;
        _model = model;
        _requestId = $"{sessionId}/context-summary/{request}";
        Receive<GenerateResult>(r => Report(r.StopReason is StopReason.Deadline or StopReason.Cancelled || string.IsNullOrWhiteSpace(r.Text)
            ? new Summary(null, turnsFolded, $"model '{model}' gave no summary ({r.StopReason})")
            : new Summary(r.Text.Trim(), turnsFolded, null)));
        Receive<GenerateFailed>(f => Report(new Summary(null, turnsFolded, f.Describe())));
        Receive<Overloaded>(o => Report(new Summary(null, turnsFolded, o.Describe())));
        Receive<TokenChunk>(_ => { });
        Receive<Deadline>(_ =>
        {
            _models.Tell(new CancelGenerate(_requestId, model));
            Report(new Summary(null, turnsFolded, $"no reply from model '{model}' within {timeout.TotalSeconds:0.#} s"));
        });
        _request = new Generate(_requestId, model, Prompt: prompt,
            Sampling: SamplingSeeds.ForAttempt(sampling, sessionId, "context-summary", request), MaxTokens: maxTokens,
            Timeout: timeout, Stream: false);
        _timeout = timeout;
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        _models.Tell(_request);
        Timers.StartSingleTimer(nameof(Deadline), Deadline.Instance, _timeout + Grace);
    }

    private void Report(Summary summary)
    {
        if (_reported) return;
        _reported = true;
        Context.Parent.Tell(summary);
        Context.Stop(Self);
    }

    /// <summary>Stopped before its model answered (the session ended or passivated): generation stops.</summary>
    protected override void PostStop()
    {
        if (!_reported) _models.Tell(new CancelGenerate(_requestId, _model));
    }

    /// <summary>The summarizer's answer: the summary of the first <see cref="TurnsFolded"/> turns, or why there is none.</summary>
    internal sealed record Summary(string? Text, int TurnsFolded, string? Problem) : INoSerializationVerificationNeeded;

    private sealed record Deadline : INoSerializationVerificationNeeded
    {
        public static readonly Deadline Instance = new();
    }
}
