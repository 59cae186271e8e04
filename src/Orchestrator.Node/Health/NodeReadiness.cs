namespace Orchestrator.Node.Health;

/// <summary>Whether the node is ready: its cluster member is Up and its journal answers, and once ready, whether its
/// journal's database still takes a write. While not ready the reason says what it is waiting for or what failed.</summary>
public sealed class NodeReadiness
{
    private volatile Status _status = new(false, "starting: waiting for the actor system");
    private volatile string? _overdue;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _journalAnswers = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A snapshot of readiness and its reason.</summary>
    public sealed record Status(bool IsReady, string Reason);

    /// <summary>The current status; past the ready timeout, its reason says so first.</summary>
    public Status Current => _status is { IsReady: false } s && _overdue is { } overdue ? s with { Reason = $"{overdue}: {s.Reason}" } : _status;

    /// <summary>Completes when the node first becomes ready.</summary>
    public Task WhenReady => _ready.Task;

    /// <summary>Completes when the journal first answers a recovery (its plugin started, its tables exist).</summary>
    public Task WhenJournalAnswers => _journalAnswers.Task;

    internal void JournalAnswers() => _journalAnswers.TrySetResult();

    internal void Waiting(string reason) => _status = new Status(false, reason);

    /// <summary>The node did not become ready in time: <paramref name="overdue"/> leads every reason from now on.</summary>
    internal void Overdue(string overdue) => _overdue = overdue;

    /// <summary>A ready node's journal failed: not ready, for <paramref name="reason"/>, until <see cref="MarkReady"/>.</summary>
    internal void Failing(string reason) => _status = new Status(false, reason);

    internal void MarkReady(string detail)
    {
        // Once ready, a later not-ready reason is a failure, not a start that is overdue.
        _overdue = null;
        _status = new Status(true, detail);
        _ready.TrySetResult();
    }
}
