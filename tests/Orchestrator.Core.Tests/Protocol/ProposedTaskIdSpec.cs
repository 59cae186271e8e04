using Orchestrator.Core.Protocol;

namespace Orchestrator.Core.Tests.Protocol;

public sealed class ProposedTaskIdSpec
{
    [Theory]
    [InlineData("a")]
    [InlineData("write-overview_2")]
    [InlineData("x23456789012345678901234567890123456789012345678")] // 48 characters
    public void Ids_within_the_rule_are_accepted(string id) => Assert.Null(ProposedTaskId.Problem(id));

    [Theory]
    [InlineData("")]
    [InlineData("-leading-dash")]
    [InlineData("has space")]
    [InlineData("x234567890123456789012345678901234567890123456789")] // 49 characters
    public void Ids_outside_the_rule_are_refused_with_the_rule(string id) =>
        Assert.Contains($"1 to {ProposedTaskId.MaxLength}", ProposedTaskId.Problem(id));

    [Fact]
    public void The_task_list_grammar_allows_exactly_the_ids_the_session_accepts()
    {
        var grammar = ProtocolGrammar.Build(ResponsePhase.TaskList);
        Assert.Contains("id-string ::= " + ProposedTaskId.Gbnf, grammar);
        Assert.Contains($"[a-zA-Z0-9] [a-zA-Z0-9_-]{{0,{ProposedTaskId.MaxLength - 1}}}", grammar);
    }
}
