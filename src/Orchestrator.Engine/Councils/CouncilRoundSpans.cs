using System.Diagnostics;
using Orchestrator.Core.Councils;
using static Orchestrator.Core.Sessions.SessionEvents;
using T = Orchestrator.Core.Diagnostics.OrchestratorTelemetry;

namespace Orchestrator.Engine.Councils;

/// <summary>The <c>council.round</c> spans of one council attempt: one per round and phase (generate, critique, revise,
/// select), children of the attempt's span, each ended when the council moves on; its members' <c>generation</c> spans
/// are children of the round they belong to. Its coordinator calls it; not thread-safe.</summary>
internal sealed class CouncilRoundSpans(TaskDispatched dispatch, ActivityContext attempt)
{
    private Activity? _span;
    private (int Round, CouncilStep Step)? _at;

    /// <summary>The council is at <paramref name="round"/> and <paramref name="step"/>: a new span when that changed;
    /// returns the context its requests' spans belong to.</summary>
    public ActivityContext At(int round, CouncilStep step)
    {
        if (_at == (round, step)) return _span?.Context ?? attempt;
        T.Stop(_span, "done");
        _at = (round, step);
        _span = T.Start(T.Spans.CouncilRound, attempt);
        _span?.SetTag(T.Attributes.SessionId, dispatch.SessionId.Value)
            .SetTag(T.Attributes.TaskId, dispatch.TaskId.Value)
            .SetTag(T.Attributes.Attempt, dispatch.Attempt)
            .SetTag(T.Attributes.Round, round)
            .SetTag(T.Attributes.Phase, step.ToString().ToLowerInvariant());
        return _span?.Context ?? attempt;
    }

    /// <summary>The council is over (<paramref name="outcome"/>): the open round's span ends with it.</summary>
    public void Ended(string outcome, bool failed = false)
    {
        T.Stop(_span, outcome, failed);
        _span = null;
    }
}
