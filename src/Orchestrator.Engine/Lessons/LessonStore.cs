using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Orchestrator.Core.Lessons;
using Orchestrator.Core.Messaging;
using static Orchestrator.Core.Lessons.LessonCommands;
using static Orchestrator.Core.Lessons.LessonEvents;
using static Orchestrator.Core.Lessons.LessonQueries;
using static Orchestrator.Core.Lessons.LessonReplies;
using Orchestrator.Engine.Persistence;

namespace Orchestrator.Engine.Lessons;

/// <summary>The lesson store: the persistent actor <c>lesson-store</c>, run as a cluster singleton behind the proxy
/// <c>/user/lessons</c>. It keeps the lessons the <see cref="LessonPolicy"/> allows (<see cref="LessonStoreState"/>, a
/// fold over its events) and a BM25 <see cref="LessonIndex"/> beside them, rebuilt on recovery, and answers the best
/// lessons for a task: those of the same kind first (always offered), others only above the policy's minimum relevance.
/// A candidate told without a sender (from a session) gets no answer.</summary>
public sealed class LessonStore : SnapshottingActor
{
    /// <summary>The store's persistence id.</summary>
    public const string Id = "lesson-store";

    /// <summary>Most lessons one query may ask for.</summary>
    public const int MaxPerQuery = 20;

    private readonly LessonPolicy _policy;
    private readonly LessonStoreOptions _options;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LessonIndex _index = new();
    private LessonStoreState _state = LessonStoreState.Empty;
    private int _eventsSinceSnapshot;

    /// <summary>Props of the store.</summary>
    public static Props Props(LessonPolicy policy, LessonStoreOptions? options = null) =>
        Akka.Actor.Props.Create(() => new LessonStore(policy, options ?? LessonStoreOptions.Default));

    /// <summary>Created through <see cref="Props"/>.</summary>
    public LessonStore(LessonPolicy policy, LessonStoreOptions options)
    {
        _policy = policy;
        _options = options;

        Recover<SnapshotOffer>(o =>
        {
            _state = ((LessonSnapshots.LessonStoreSnapshot)o.Snapshot).ToState();
            foreach (var (number, lesson) in _state.Lessons) _index.Add(number, lesson.TaskKind, lesson.Text);
        });
        Recover<IPersistedEvent>(Apply);

        Command<RecordLesson>(c => Handle(_state.Decide(c, policy, options.Now)));
        Command<DeleteLesson>(c => Handle(_state.Decide(c, options.Now)));
        Command<FindLessons>(q => Sender.Tell(Find(q)));
        Command<ListLessons>(q => Sender.Tell(_state.List(q)));
        KeepOnlyTheLatestSnapshot(() => "Lesson store");
    }

    /// <inheritdoc />
    public override string PersistenceId => Id;

    private void Apply(IPersistedEvent e)
    {
        _state = _state.Apply(e);
        switch (e)
        {
            case LessonLearned l when LessonStoreState.NumberOf(l.Lesson.Id) is { } n:
                _index.Add(n, l.Lesson.TaskKind, l.Lesson.Text);
                break;
            case LessonForgotten f when LessonStoreState.NumberOf(f.Id) is { } n:
                _index.Remove(n);
                break;
        }
    }

    private void Handle(LessonDecision decision)
    {
        var sender = Sender;
        if (decision.Events.Count == 0)
        {
            Reply(sender, decision.Reply);
            return;
        }
        var left = decision.Events.Count;
        PersistAll(decision.Events, e =>
        {
            Apply(e);
            if (e is LessonLearned l) _log.Info("Lesson {Id} learned for {Kind}", l.Lesson.Id, l.Lesson.TaskKind);
            if (++_eventsSinceSnapshot >= _options.SnapshotEvery)
            {
                _eventsSinceSnapshot = 0;
                SaveSnapshot(_state.ToSnapshot());
            }
            if (--left == 0) Reply(sender, decision.Reply);
        });
    }

    private static void Reply(IActorRef sender, IClusterMessage reply)
    {
        if (!sender.IsNobody()) sender.Tell(reply);
    }

    private LessonsFound Find(FindLessons q) => new(
        _index.Search(q.TaskKind, q.Text, Math.Clamp(q.Max, 0, MaxPerQuery))
            .Where(hit => _state.Lessons.TryGetValue(hit.Key, out var lesson)
                          && (hit.Score >= _policy.MinRelevance || lesson.TaskKind == q.TaskKind))
            .Select(hit => new RankedLesson(_state.Lessons[hit.Key], hit.Score))
            .ToList());
}
