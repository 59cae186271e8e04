using System.CommandLine;
using System.Globalization;
using Orchestrator.Api.Contracts;
using Orchestrator.Api.Contracts.Councils;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>councils list|create|delete</c>: the node's councils per role.</summary>
internal static class CouncilCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var list = new Command("list", "List the councils, one per role").WithAction(context, async (ctx, _, ct) =>
        {
            var reply = await ctx.Client.GetAsync<CouncilListDto>("/api/councils", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply.Json);
                return;
            }
            var councils = reply.Value.Councils;
            if (councils.Count == 0)
            {
                ctx.Console.MarkupLine("No councils (orch councils create ROLE --member ROLE --member ROLE).");
                return;
            }
            var table = new Table().AddColumns("Role", "Members", "Rounds", "Selector", "Consensus", "Created");
            foreach (var c in councils)
            {
                var selector = ApiJson.Name(c.Selector) + (c.SelectorRole is { Length: > 0 } by ? $" ({by})" : "");
                table.AddRow(
                    Markup.Escape(c.Role ?? ""),
                    Markup.Escape(string.Join(", ", c.Members.Select(Member))),
                    Markup.Escape(c.Rounds.ToString(CultureInfo.InvariantCulture)),
                    Markup.Escape(selector),
                    Markup.Escape(ApiJson.Name(c.Consensus)),
                    c.CreatedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            }
            ctx.Console.Write(table);
        });

        var role = new Argument<string>("role") { Description = "The role the council serves (DEV, QA, ARCHITECT...)" };
        var members = new Option<string[]>("--member", "-m")
        { Description = "A member as ROLE, NAME=ROLE or NAME=ROLE@MODEL (repeatable; at least two)", AllowMultipleArgumentsPerToken = true };
        members.Validators.Add(r =>
        {
            foreach (var m in r.GetValueOrDefault<string[]>() ?? [])
                if (ParseMember(m) is null)
                    r.AddError($"--member '{m}' is not ROLE, NAME=ROLE or NAME=ROLE@MODEL.");
        });
        var rounds = CheckedOptions.WholeNumber("--rounds", "Critique-and-revise rounds, 1 to 10 (1 when absent)", 1, 10);
        var selector = CheckedOptions.OneOf("--selector", "How the winner is picked: rubric (peers' scores) or agent", "rubric", "agent");
        var selectorRole = new Option<string?>("--selector-role") { Description = "The role of the selector agent (with --selector agent)" };
        var consensus = CheckedOptions.OneOf("--consensus", "When to stop early: all-approve (default), same-answer or none",
            "all-approve", "same-answer", "none");
        var create = new Command("create", "Create the council of a role") { role, members, rounds, selector, selectorRole, consensus }
            .WithAction(context, async (ctx, parse, ct) =>
            {
                var reply = await ctx.Client.PostAsync<CouncilDto>("/api/councils", new CreateCouncilRequest(
                    Role: parse.GetValue(role),
                    Members: (parse.GetValue(members) ?? []).Select(m => ParseMember(m)!).ToList(),
                    Rounds: parse.GetValue(rounds),
                    Selector: parse.GetValue(selector),
                    SelectorRole: parse.GetValue(selectorRole),
                    Consensus: parse.GetValue(consensus),
                    Rubric: null,
                    MemberTimeoutSeconds: null), ct);
                if (ctx.Json) ctx.WriteJson(reply.Json);
                else ctx.Console.MarkupLine(
                    $"Created the council of [green]{Markup.Escape(reply.Value.Role ?? "")}[/]: " +
                    Markup.Escape(string.Join(", ", reply.Value.Members.Select(Member))));
            });

        var deleteRole = new Argument<string>("role") { Description = "The role whose council goes" };
        var delete = new Command("delete", "Delete the council of a role") { deleteRole }.WithAction(context, async (ctx, parse, ct) =>
        {
            var reply = await ctx.Client.DeleteAsync<DeletedDto>($"/api/councils/{Uri.EscapeDataString(parse.GetValue(deleteRole)!)}", ct);
            if (ctx.Json) ctx.WriteJson(reply.Json);
            else ctx.Console.MarkupLine($"Deleted the council of [green]{Markup.Escape(reply.Value.Deleted ?? "")}[/]");
        });

        return new Command("councils", "Councils per role: list, create, delete") { list, create, delete };
    }

    /// <summary>A member as the API takes it, from ROLE, NAME=ROLE or NAME=ROLE@MODEL; null when malformed.</summary>
    private static CouncilMemberRequest? ParseMember(string text)
    {
        var at = text.IndexOf('=');
        var name = at < 0 ? null : text[..at];
        var rest = at < 0 ? text : text[(at + 1)..];
        var by = rest.IndexOf('@');
        var role = by < 0 ? rest : rest[..by];
        var model = by < 0 ? null : rest[(by + 1)..];
        if (role.Length == 0 || name is { Length: 0 } || model is { Length: 0 }) return null;
        return new CouncilMemberRequest(name, role, model);
    }

    private static string Member(CouncilMemberDto m) =>
        $"{m.Name}:{m.Role}" + (m.Model is { Length: > 0 } model ? $"@{model}" : "");
}
