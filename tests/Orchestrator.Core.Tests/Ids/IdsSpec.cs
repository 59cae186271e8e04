using Orchestrator.Core.Ids;

namespace Orchestrator.Core.Tests.Ids;

/// <summary>The ids' rules, each in one place: what a session id, a task id and an attempt (a model request's id) may
/// be, how they are written and read back.</summary>
public sealed class IdsSpec
{
    [Theory]
    [InlineData("s1")]
    [InlineData("demo-20261205-0101.a_b")]
    public void A_valid_session_id_parses_and_names_its_journal(string text)
    {
        var id = SessionId.Parse(text);

        Assert.Equal(text, id.ToString());
        Assert.Equal("session-" + text, id.PersistenceId);
        Assert.True(SessionId.TryFromPersistenceId(id.PersistenceId, out var back));
        Assert.Equal(id, back);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bad id!")]
    [InlineData("-leading")]
    [InlineData("a/b")]
    [InlineData("../etc")]
    public void An_invalid_session_id_is_refused_with_the_rule(string? text)
    {
        Assert.False(SessionId.TryParse(text, out _));
        Assert.Equal($"session id '{text}' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
            SessionId.Problem(text));
        Assert.Throws<ArgumentException>(() => SessionId.Parse(text));
    }

    [Fact]
    public void A_session_id_is_at_most_64_long_and_only_session_journals_are_read_as_sessions()
    {
        Assert.True(SessionId.TryParse(new string('a', 64), out _));
        Assert.False(SessionId.TryParse(new string('a', 65), out _));
        Assert.False(SessionId.TryFromPersistenceId("agent-registry", out _));
        Assert.False(SessionId.TryFromPersistenceId("session-bad id!", out _));
    }

    [Fact]
    public void Task_ids_have_one_rule_and_three_lengths()
    {
        Assert.True(TaskId.IsNodeId(new string('n', TaskId.NodeMaxLength)));
        Assert.False(TaskId.IsNodeId(new string('n', TaskId.NodeMaxLength + 1)));
        Assert.True(TaskId.IsProposedId(new string('p', TaskId.ProposedMaxLength)));
        Assert.False(TaskId.IsProposedId(new string('p', TaskId.ProposedMaxLength + 1)));

        // The longest instance a planner can make of the longest prototype is still a task id.
        var instance = TaskId.Instance(new string('n', TaskId.NodeMaxLength), new string('p', TaskId.ProposedMaxLength));
        Assert.Equal(TaskId.MaxLength, instance.Length);
        Assert.Equal(instance, TaskId.Parse(instance).Value);
        Assert.False(TaskId.IsValid(instance + "x"));
        Assert.False(TaskId.IsValid("a.b"));
        Assert.False(TaskId.IsValid("_a"));
        Assert.Throws<ArgumentException>(() => TaskId.Parse("a b"));
    }

    [Fact]
    public void An_attempt_is_the_request_id_session_task_attempt_and_reads_back()
    {
        var attempt = AttemptId.Of("s1", "review-ch1", 2);

        Assert.Equal("s1/review-ch1/2", attempt.ToString());
        Assert.True(AttemptId.TryParse("s1/review-ch1/2", out var back, out var key));
        Assert.Equal(attempt, back);
        Assert.Null(key);

        Assert.Equal("s1/review-ch1/2/1/critique/alice", attempt.Part("1/critique/alice"));
        Assert.True(AttemptId.TryParse(attempt.Part("1/critique/alice"), out back, out key));
        Assert.Equal(attempt, back);
        Assert.Equal("1/critique/alice", key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("s1/t")]
    [InlineData("s1/t/0")]
    [InlineData("s1/t/-1")]
    [InlineData("s1/t/x")]
    [InlineData("bad id/t/1")]
    [InlineData("s1/a.b/1")]
    public void What_is_not_an_attempt_is_not_read_as_one(string? requestId)
    {
        Assert.False(AttemptId.TryParse(requestId, out _, out _));
    }

    [Fact]
    public void An_attempt_is_numbered_from_one_and_of_valid_ids()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AttemptId.Of("s1", "t", 0));
        Assert.Throws<ArgumentException>(() => AttemptId.Of("s 1", "t", 1));
        Assert.Throws<ArgumentException>(() => AttemptId.Of("s1", "t/1", 1));
    }
}
