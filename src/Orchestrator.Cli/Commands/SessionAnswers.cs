using System.CommandLine;
using System.Text.Json;
using Orchestrator.Api.Contracts.Sessions;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary>A person's side of a human node: <c>sessions answer ID TASK --approve | --reject REASON | --value JSON</c>
/// (exactly one, else a usage error), and the questions <c>sessions show</c> prints under its task table with the
/// commands that answer them.</summary>
internal static class SessionAnswers
{
    private const string ValueExample = "--value '{\"pages\": 3}'";

    /// <summary>The <c>answer</c> command: posts the answer to the node and prints what it recorded, or the node's refusal.</summary>
    public static Command Create(Func<CliContext> context, Argument<string> sessionId)
    {
        var task = new Argument<string>("task") { Description = "The human node's task id (sessions show names it)" };
        var approve = new Option<bool>("--approve") { Description = "Approve (a question that expects approval)", Arity = ArgumentArity.Zero };
        var reject = new Option<string?>("--reject") { Description = "Reject, with the reason", HelpName = "reason" };
        var value = new Option<string?>("--value") { Description = "Answer with this JSON, which must meet the question's schema", HelpName = "json" };
        value.Validators.Add(result =>
        {
            var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
            if (!IsJson(text))
                result.AddError($"--value expects JSON (e.g. {ValueExample}; a string in double quotes), not '{text}'.");
        });
        var command = new Command("answer", "Answer a task waiting for a person: --approve, --reject REASON or --value JSON")
            { sessionId, task, approve, reject, value };
        command.Validators.Add(result =>
        {
            var given = new Option[] { approve, reject, value }.Where(o => result.GetResult(o) is not null).Select(o => o.Name).ToList();
            if (given.Count != 1)
                result.AddError(given.Count == 0
                    ? "sessions answer expects one of --approve, --reject REASON or --value JSON."
                    : $"sessions answer expects only one of --approve, --reject and --value, not {string.Join(" and ", given)}.");
        });
        return command.WithAction(context, async (ctx, parse, ct) =>
        {
            var id = parse.GetValue(sessionId)!;
            var taskId = parse.GetValue(task)!;
            var request = parse.GetValue(approve)
                ? new AnswerRequest(Approve: true)
                : parse.GetValue(reject) is { } reason
                    ? new AnswerRequest(Reject: reason)
                    : new AnswerRequest(Value: JsonDocument.Parse(parse.GetValue(value)!).RootElement.Clone());
            var reply = await ctx.Client.PostAsync<SessionStatusDto>(
                $"/api/sessions/{Uri.EscapeDataString(id)}/tasks/{Uri.EscapeDataString(taskId)}/answer", request, ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply.Json);
                return;
            }
            var recorded = request switch
            {
                { Approve: true } => "[green]approved[/]",
                { Reject: { } why } => $"[red]rejected[/]: {Markup.Escape(why)}",
                _ => $"answered [green]{Markup.Escape(request.Value!.Value.GetRawText())}[/]",
            };
            ctx.Console.MarkupLine($"Recorded: task [blue]{Markup.Escape(taskId)}[/] of session [blue]{Markup.Escape(id)}[/] {recorded}");
            ctx.Console.Write(SessionCommands.StatusTable(reply.Value));
        });
    }

    /// <summary>Under a session's task table: each task waiting for a person, its question, the answer it expects, its
    /// deadline, and the <c>orch</c> commands that answer it, runnable as they are.</summary>
    public static void WriteQuestions(CliContext ctx, string sessionId, IEnumerable<TaskDto> tasks)
    {
        foreach (var t in tasks)
        {
            if (t.State != TaskStateDto.Waiting || t.Question is not { } q)
                continue;
            ctx.Console.WriteLine();
            ctx.Console.MarkupLine($"Task [yellow]{Markup.Escape(t.Id)}[/] waits for an answer:");
            foreach (var line in q.Text.Split('\n'))
                ctx.Console.MarkupLine($"  {Markup.Escape(line.TrimEnd('\r'))}");
            var expectsValue = q.Answer == "value";
            ctx.Console.MarkupLine(expectsValue
                ? q.Schema is { Length: > 0 } schema
                    ? $"Expects: a JSON value meeting the schema {Markup.Escape(schema)}, or a rejection with a reason"
                    : "Expects: a JSON value, or a rejection with a reason"
                : "Expects: approve, or reject with a reason");
            if (q.Deadline is { } deadline)
                ctx.Console.MarkupLine($"Deadline: {Markup.Escape(SessionCommands.Time(deadline))} (then its default action applies)");
            var command = new List<string> { "orch", ctx.Client.Address.ToString(), "sessions", "answer", sessionId, t.Id };
            ctx.Console.MarkupLine($"Answer: [blue]{Markup.Escape(ShellQuote.Join(expectsValue ? [.. command, "--value", "JSON"] : [.. command, "--approve"]))}[/]");
            ctx.Console.MarkupLine($"    or: [blue]{Markup.Escape(ShellQuote.Join([.. command, "--reject", "REASON"]))}[/]");
        }
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
