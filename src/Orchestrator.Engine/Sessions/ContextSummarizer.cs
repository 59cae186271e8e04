using Akka.Actor;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Models;
using Orchestrator.Engine.Models;
using Orchestrator.Messages;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Engine.Sessions;

/// <summary>Asks the summarizer agent (one <c>Generate</c> to the model of its role) to fold the oldest turns of a
/// session's conversation into a summary, then tells its session <see cref="Summary"/> (with the text, or the reason it
/// has none) and stops. A child of the session; the session persists the summary, or logs the failure and tries again
/// at the next completion.</summary>
internal sealed class ContextSummarizer : ModelCallingActor
{
    private readonly Generate _request;
    private readonly int _turnsFolded;
    private readonly TimeSpan _timeout;
    private bool _reported;

    /// <summary>Props of a summarizer asking <paramref name="model"/> with <paramref name="prompt"/> to fold
    /// <paramref name="turnsFolded"/> turns.</summary>
    public static Props Props(string sessionId, int request, string model, string prompt, int turnsFolded, IActorRef models,
        int maxTokens, SamplingOptions? sampling, TimeSpan timeout) =>
        Akka.Actor.Props.Create(() => new ContextSummarizer(sessionId, request, model, prompt, turnsFolded, models, maxTokens, sampling, timeout));

    /// <summary>Created through <see cref="Props"/>.</summary>
    public ContextSummarizer(string sessionId, int request, string model, string prompt, int turnsFolded, IActorRef models,
        int maxTokens, SamplingOptions? sampling, TimeSpan timeout) : base(models)
    {
        _turnsFolded = turnsFolded;
        _timeout = timeout;
        _request = new Generate($"{sessionId}/context-summary/{request}", model, Prompt: prompt,
            Sampling: SamplingSeeds.ForAttempt(sampling, sessionId, "context-summary", request), MaxTokens: maxTokens,
            Timeout: timeout, Stream: false);
    }

    /// <summary>Asks the model; stopped before it answered (the session ended or passivated), generation stops.</summary>
    protected override void PreStart() => Call(_request.RequestId, _request);

    /// <inheritdoc />
    protected override void OnAnswer(string key, IClusterMessage answer) => Report(answer switch
    {
        GenerateResult r when r.StopReason is StopReason.Deadline or StopReason.Cancelled || string.IsNullOrWhiteSpace(r.Text) =>
            new Summary(null, _turnsFolded, $"model '{_request.Model}' gave no summary ({r.StopReason})"),
        GenerateResult r => new Summary(r.Text.Trim(), _turnsFolded, null),
        GenerateFailed f => new Summary(null, _turnsFolded, f.Describe()),
        Overloaded o => new Summary(null, _turnsFolded, o.Describe()),
        _ => throw new ArgumentException($"{answer.GetType().Name} is not a model's answer", nameof(answer)),
    });

    /// <inheritdoc />
    protected override void OnTimedOut(string key) =>
        Report(new Summary(null, _turnsFolded, $"no reply from model '{_request.Model}' within {_timeout.TotalSeconds:0.#} s"));

    private void Report(Summary summary)
    {
        if (_reported) return;
        _reported = true;
        Context.Parent.Tell(summary);
        Context.Stop(Self);
    }

    /// <summary>The summarizer's answer: the summary of the first <see cref="TurnsFolded"/> turns, or why there is none.</summary>
    internal sealed record Summary(string? Text, int TurnsFolded, string? Problem) : INoSerializationVerificationNeeded;
}
