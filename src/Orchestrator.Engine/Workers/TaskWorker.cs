using System.Diagnostics;
using Akka.Actor;
using Orchestrator.Core.Ids;
using Orchestrator.Core.Lessons;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Models;
using Orchestrator.Core.Protocol;
using Orchestrator.Core.Sessions;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Lessons;
using Orchestrator.Engine.Models;
using Orchestrator.Engine.Streams;
using Orchestrator.Messages;
using static Orchestrator.Core.Models.ModelMessages;
using static Orchestrator.Core.Sessions.SessionEvents;
using static Orchestrator.Core.Sessions.SessionLiveMessages;

namespace Orchestrator.Engine.Workers;

/// <summary>Runs one attempt of one task: sends <c>Generate</c> to the model actor (a <see cref="ModelCallingActor"/>
/// call: past the task's deadline, or when the worker is stopped first, the model is told to stop), streams its tokens
/// to the live feed (and to the session's cluster topic, for followers on other nodes), reads the reply (the response protocol, or JSON for a task with an output schema), and reports
/// success or failure with the reason to its session, within the task's deadline. With a lesson store, it first asks
/// for the best lessons for its task and appends them to the prompt; without an answer in time it goes on without. A
/// worker is its session's child; it stops once it has reported.</summary>
internal sealed class TaskWorker : ModelCallingActor
{
    private readonly TaskAssignment _order;
    private readonly Func<DateTimeOffset> _clock;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly string _requestId;
    private readonly LiveFeed<SessionLiveEvent> _feed;
    private readonly SessionTokenTopics? _topics;
    private readonly LessonInjection? _lessons;
    private readonly int _maxTokens;
    private readonly SamplingOptions? _sampling;
    private bool _generating;

    public static Props Props(TaskAssignment order, IActorRef models, LiveFeed<SessionLiveEvent> feed, int maxTokens,
        SamplingOptions? sampling, Func<DateTimeOffset> clock, LessonInjection? lessons = null, SessionTokenTopics? topics = null,
        ActivityContext trace = default) =>
        Akka.Actor.Props.Create(() => new TaskWorker(order, models, feed, maxTokens, sampling, clock, lessons, topics, trace));

    public TaskWorker(TaskAssignment order, IActorRef models, LiveFeed<SessionLiveEvent> feed, int maxTokens,
        SamplingOptions? sampling, Func<DateTimeOffset> clock, LessonInjection? lessons = null, SessionTokenTopics? topics = null,
        ActivityContext trace = default) : base(models, trace)
    {
        _order = order;
        _feed = feed;
        _topics = topics;
        _lessons = lessons;
        _maxTokens = maxTokens;
        _sampling = SamplingSeeds.ForAttempt(sampling, order.Dispatch.SessionId.Value, order.Dispatch.TaskId.Value, order.Dispatch.Attempt);
        _clock = clock;
        _requestId = order.Attempt.ToString();

        Receive<LessonReplies.LessonsFound>(found => Generate(found.Lessons.Select(l => l.Lesson).ToList()));
        Receive<LessonsTimeout>(_ => Generate([]));
    }

    protected override void PreStart()
    {
        if (_lessons is null)
        {
            Generate([]);
            return;
        }
        _lessons.Store.Tell(new LessonQueries.FindLessons(_order.Task.KindOrId, _order.Prompt, _lessons.Count), Self);
        Timers.StartSingleTimer(nameof(LessonsTimeout), LessonsTimeout.Instance, _lessons.AskTimeout);
    }

    /// <summary>Sends the request once, with <paramref name="lessons"/> appended to the prompt (those that fit the
    /// session's limit); a late answer about lessons is ignored.</summary>
    private void Generate(IReadOnlyList<Lesson> lessons)
    {
        if (_generating) return;
        _generating = true;
        Timers.Cancel(nameof(LessonsTimeout));
        var d = _order.Dispatch;
        // The attempt's deadline counts from its start: the wait for lessons is part of it.
        var left = _order.Task.Timeout + Grace - _elapsed.Elapsed;
        if (left <= TimeSpan.Zero)
        {
            OnTimedOut(_requestId);
            return;
        }
        Call(_requestId, new Generate(
            _requestId, d.Model, Prompt: LessonPrompt.Append(_order.Prompt, lessons, _order.MaxPromptChars), Sampling: _sampling, MaxTokens: _maxTokens,
            Grammar: _order.Constraint.Grammar, JsonSchema: _order.Constraint.JsonSchema, Timeout: _order.Task.Timeout, Stream: true), left, d.Agent);
    }

    /// <inheritdoc />
    protected override void OnTokens(string key, TokenChunk c)
    {
        var d = _order.Dispatch;
        var tokens = new TaskTokens(d.SessionId.Value, d.TaskId.Value, d.Attempt, c.Index, c.Text);
        _feed.Publish(new SessionLiveEvent(d.SessionId.Value, null, tokens));
        _topics?.Publish(tokens, Self);
    }

    /// <inheritdoc />
    protected override void OnAnswer(string key, IClusterMessage answer) => Report(answer switch
    {
        GenerateResult r => Evaluate(r),
        GenerateFailed f => Failure(f.Describe(), null, retryable: f.Code != FailureCodes.InvalidRequest && f.Code != FailureCodes.PromptTooLong, 0),
        Overloaded o => Failure(o.Describe(), null, retryable: true, 0),
        _ => throw new ArgumentException($"{answer.GetType().Name} is not a model's answer", nameof(answer)),
    });

    /// <inheritdoc />
    protected override void OnTimedOut(string key) =>
        Report(Failure($"no reply from model '{_order.Dispatch.Model}' within {_order.Task.Timeout.TotalSeconds:0.#} s", null, retryable: true, 0));

    private WorkerReport Evaluate(GenerateResult r)
    {
        var tokens = r.PromptTokens + r.CompletionTokens;
        switch (r.StopReason)
        {
            case StopReason.Deadline:
                return Failure($"deadline of {_order.Task.Timeout.TotalSeconds:0.#} s passed while generating", r.Text, retryable: true, tokens);
            case StopReason.Cancelled:
                return Failure("generation was cancelled", r.Text, retryable: false, tokens);
        }
        var d = _order.Dispatch;
        var reply = TaskReplies.Read(_order.Task, r.Text);
        return new WorkerReport(d.TaskId,
            SessionEventFactory.Outcome(d.SessionId, d.TaskId, d.Attempt, reply, r.Text, tokens, _elapsed.Elapsed, _clock()));
    }

    private WorkerReport Failure(string reason, string? raw, bool retryable, long tokens)
    {
        var d = _order.Dispatch;
        return new WorkerReport(d.TaskId, [new TaskFailed(d.SessionId, d.TaskId, d.Attempt, reason, raw, retryable, tokens, _clock())]);
    }

    private void Report(WorkerReport report)
    {
        Context.Parent.Tell(report);
        Context.Stop(Self);
    }

    private sealed record LessonsTimeout : INoSerializationVerificationNeeded
    {
        public static readonly LessonsTimeout Instance = new();
    }
}
