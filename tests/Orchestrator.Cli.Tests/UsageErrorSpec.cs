namespace Orchestrator.Cli.Tests;

/// <summary>A wrong value for an option, or options that exclude each other, is a usage error: one line naming the
/// option and the form it expects, the command's usage, exit 2, and never an exception's stack trace.</summary>
public sealed class UsageErrorSpec
{
    [Theory]
    [InlineData("--limit", "a whole number of at least 1", "sessions", "list", "--limit", "abc")]
    [InlineData("--limit", "a whole number of at least 1", "sessions", "list", "--limit", "0")]
    [InlineData("--limit", "a whole number from 1 to 1000", "lessons", "list", "--limit", "many")]
    [InlineData("--depth", "a whole number from 1 to 32", "actor", "hierarchy", "-d", "deep")]
    [InlineData("--depth", "a whole number from 1 to 32", "actor", "hierarchy", "--depth", "33")]
    [InlineData("--from", "a whole number of at least 0", "journal", "events", "session-1", "--from", "1.5")]
    [InlineData("--max", "a whole number from 1 to 10000", "journal", "events", "session-1", "--max", "x")]
    [InlineData("--max-concurrent", "a whole number of at least 1", "agents", "register", "a", "--role", "DEV", "--model", "m", "--max-concurrent", "two")]
    [InlineData("--max-concurrent", "a whole number of at least 1", "agents", "update", "a", "--max-concurrent", "99999999999")]
    [InlineData("--rounds", "a whole number from 1 to 10", "councils", "create", "DEV", "-m", "DEV", "-m", "QA", "--rounds", "lots")]
    [InlineData("--status", "one of running, paused, completed, failed, cancelled", "sessions", "list", "--status", "sleeping")]
    [InlineData("--selector", "one of rubric, agent", "councils", "create", "DEV", "-m", "DEV", "-m", "QA", "--selector", "vote")]
    public async Task A_bad_option_value_names_the_option_and_its_form_and_exits_2(string option, string form, params string[] args)
    {
        var (code, stdout, stderr) = await InProcessOrch.Run("127.0.0.1:1", args);

        Assert.Equal(2, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith($"{option} expects {form}", lines[0]);
        Assert.Contains($"not '{args[^1]}'", lines[0]);
        Assert.Contains(lines, l => l.StartsWith($"Usage: orch {args[0]} {args[1]}", StringComparison.Ordinal));
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task A_bad_number_as_a_process_is_a_usage_error_not_a_crash()
    {
        var (code, stdout, stderr) = await OrchProcess.Run("127.0.0.1:1", "sessions", "list", "--limit", "abc");

        Assert.True(code == 2, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("--limit expects a whole number of at least 1 (e.g. --limit 10), not 'abc'.", stderr);
        Assert.Contains("Usage: orch sessions list [options]", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task A_missing_argument_prints_the_usage_with_the_argument()
    {
        var (code, _, stderr) = await InProcessOrch.Run("127.0.0.1:1", "sessions", "show");

        Assert.Equal(2, code);
        Assert.Contains("Usage: orch sessions show <id> [options]", stderr);
    }

    [Theory]
    [InlineData("expects one of --approve, --reject REASON or --value JSON")]
    [InlineData("expects only one of --approve, --reject and --value, not --approve and --reject", "--approve", "--reject", "no")]
    [InlineData("expects only one of --approve, --reject and --value, not --reject and --value", "--reject", "no", "--value", "1")]
    [InlineData("--value expects JSON", "--value", "{pages: 3")]
    public async Task Not_exactly_one_answer_or_a_value_that_is_not_JSON_is_a_usage_error(string problem, params string[] options)
    {
        await using var node = new FakeNode(c => FakeNode.Json(c, "{}"));

        var (code, stdout, stderr) = await InProcessOrch.Run(node.Address, ["sessions", "answer", "s-1", "review", .. options]);

        Assert.Equal(2, code);
        Assert.Contains(problem, stderr);
        Assert.Contains("Usage: orch sessions answer <id> <task> [options]", stderr);
        Assert.Equal("", stdout);
        Assert.Empty(node.Requests);
    }
}
