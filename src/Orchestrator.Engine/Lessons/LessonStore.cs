using Akka.Actor;
using Akka.Event;
using Orchestrator.Core.Lessons;
using Orchestrator.Core.Messaging;
using Orchestrator.Engine.Persistence;
using static Orchestrator.Core.Lessons.LessonCommands;
using static Orchestrator.Core.Lessons.LessonEvents;
using static Orchestrator.Core.Lessons.LessonQueries;
using static Orchestrator.Core.Lessons.LessonReplies;

namespace Orchestrator.Engine.Lessons;

/// <summary>The lesson store: the persistent actor <c>lesson-store</c>, run as a cluster singleton behind the proxy
/// <c>/user/lessons</c>. It keeps the lessons the <see cref="LessonPolicy"/> allows (<see cref="LessonStoreState"/>, a
/// fold over its events) and a BM25 <see cref="LessonIndex"/> beside them, rebuilt on recovery, and answers the best
/// lessons for a task: those of the same kind first (always offered), others only above the policy's minimum relevance.
/// A candidate told without a sender (from a session) gets no answer.</summary>
public sealed class LessonStore : EventSourcedEntity<LessonStoreState>
{
    /// <summary>The store's persistence id.</summary>
    public const string Id = "lesson-store";

    /// <summary>Most lessons one query may ask for.</summary>
    public const int MaxPerQuery = 20;

    private readonly LessonPolicy _policy;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LessonIndex _index = new();

    /// <summary>Props of the store.</summary>
    public static Props Props(LessonPolicy policy, LessonStoreOptions? options = null) =>
        Akka.Actor.Props.Create(() => new LessonStore(policy, options ?? LessonStoreOptions.Default));

    /// <summary>Created through <see cref="Props"/>.</summary>
    public LessonStore(LessonPolicy policy, LessonStoreOptions options) : base(LessonStoreState.Empty, options.SnapshotEvery)
    {
        _policy = policy;

        Command<RecordLesson>(c => Handle(State.Decide(c, policy, options.Now)));
        Command<DeleteLesson>(c => Handle(State.Decide(c, options.Now)));
        Command<FindLessons>(q => Sender.Tell(Find(q)));
        Command<ListLessons>(q => Sender.Tell(State.List(q, options.PageSize)));
    }

    /// <inheritdoc />
    public override string PersistenceId => Id;

    /// <inheritdoc />
    protected override string Name => "Lesson store";

    /// <inheritdoc />
    protected override LessonStoreState Apply(LessonStoreState state, IPersistedEvent e) => state.Apply(e);

    /// <summary>The state of a snapshot, with the index rebuilt from it.</summary>
    protected override LessonStoreState FromSnapshot(object snapshot)
    {
        var state = ((LessonSnapshots.LessonStoreSnapshot)snapshot).ToState();
        foreach (var (number, lesson) in state.Lessons) _index.Add(number, lesson.TaskKind, lesson.Text);
        return state;
    }

    /// <inheritdoc />
    protected override ISnapshotState ToSnapshot(LessonStoreState state) => state.ToSnapshot();

    /// <summary>Keeps the ranking index in step with the lessons, on recovery too.</summary>
    protected override void OnApplied(LessonStoreState before, IReadOnlyList<IPersistedEvent> events)
    {
        foreach (var e in events)
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

    /// <inheritdoc />
    protected override void OnPersisted(IPersistedEvent e)
    {
        if (e is LessonLearned l) _log.Info("Lesson {Id} learned for {Kind}", l.Lesson.Id, l.Lesson.TaskKind);
    }

    private LessonsFound Find(FindLessons q) => new(
        _index.Search(q.TaskKind, q.Text, Math.Clamp(q.Max, 0, MaxPerQuery))
            .Where(hit => State.Lessons.TryGetValue(hit.Key, out var lesson)
                          && (hit.Score >= _policy.MinRelevance || lesson.TaskKind == q.TaskKind))
            .Select(hit => new RankedLesson(State.Lessons[hit.Key], hit.Score))
            .ToList());
}
