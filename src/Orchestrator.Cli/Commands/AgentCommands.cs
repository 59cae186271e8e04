using System.CommandLine;
using System.Globalization;
using Orchestrator.Api.Contracts;
using Orchestrator.Api.Contracts.Agents;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>agents list|show|register|update|remove|analytics</c>: the node's agent registry.</summary>
internal static class AgentCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var list = new Command("list", "List the agents with their health, workload and learned performance").WithAction(context, async (ctx, _, ct) =>
        {
            var reply = await ctx.Client.GetAsync<AgentListDto>("/api/agents", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply.Json);
                return;
            }
            var agents = reply.Value.Agents;
            if (agents.Count == 0)
            {
                ctx.Console.MarkupLine("No agents are registered (orch agents register NAME --role R --model M).");
                return;
            }
            var table = new Table().AddColumns("Agent", "Role", "Model", "Capabilities", "Healthy", "Tasks", "Samples", "Success", "Latency ms",
                "Tokens/s", "Quality");
            foreach (var a in agents)
            {
                var p = a.Performance;
                table.AddRow(
                    Markup.Escape(a.Name ?? ""),
                    Markup.Escape(a.Role ?? ""),
                    Markup.Escape(a.Model ?? ""),
                    Markup.Escape(string.Join(", ", a.Capabilities)),
                    a.Healthy ? "[green]yes[/]" : "[red]no[/]",
                    $"{a.InFlight} of {a.MaxConcurrentTasks}",
                    p.Samples.ToString(CultureInfo.InvariantCulture),
                    Percent(p, p.SuccessRate),
                    Number(p, p.LatencyMs, "0"),
                    Number(p, p.TokensPerSecond, "0.0"),
                    p.QualitySamples > 0 ? Number(p, p.Quality, "0.00") : "");
            }
            ctx.Console.Write(table);
        });

        var showName = new Argument<string>("name") { Description = "The agent's name" };
        var show = new Command("show", "Show an agent's profile, workload and learned performance per task kind") { showName }
            .WithAction(context, async (ctx, parse, ct) =>
            {
                var reply = await ctx.Client.GetAsync<AgentDto>($"/api/agents/{Uri.EscapeDataString(parse.GetValue(showName)!)}", ct);
                if (ctx.Json)
                {
                    ctx.WriteJson(reply.Json);
                    return;
                }
                var a = reply.Value;
                var specialization = a.Specialization.Select(s => $"{s.Key}={s.Value.ToString("0.##", CultureInfo.InvariantCulture)}");
                ctx.Console.Write(new Table().AddColumns("Field", "Value").HideHeaders()
                    .AddRow("name", Markup.Escape(a.Name ?? ""))
                    .AddRow("role", Markup.Escape(a.Role ?? ""))
                    .AddRow("model", Markup.Escape(a.Model ?? ""))
                    .AddRow("healthy", a.Healthy ? "[green]yes[/]" : "[red]no (its model is down)[/]")
                    .AddRow("capabilities", Markup.Escape(string.Join(", ", a.Capabilities)))
                    .AddRow("specialization", Markup.Escape(string.Join(", ", specialization)))
                    .AddRow("tasks in flight", $"{a.InFlight} of {a.MaxConcurrentTasks}"));
                var kinds = a.Kinds ?? [];
                if (kinds.Count > 0) ctx.Console.Write(PerformanceTable(kinds, withAgent: false));
                else ctx.Console.MarkupLine("No outcomes recorded yet.");
            });

        var registerName = new Argument<string>("name") { Description = "A unique name: letters, digits, '_', '.' or '-'" };
        var role = new Option<string>("--role") { Description = "The role it plays in workflows (DEV, QA...)", Required = true };
        var model = new Option<string>("--model") { Description = "The configured model that serves it", Required = true };
        var capabilities = Capabilities();
        var maxConcurrent = MaxConcurrent();
        var specialization = Specialization();
        var register = new Command("register", "Register an agent") { registerName, role, model, capabilities, maxConcurrent, specialization }
            .WithAction(context, async (ctx, parse, ct) =>
            {
                var reply = await ctx.Client.PostAsync<AgentProfileDto>("/api/agents", new RegisterAgentRequest(
                    Name: parse.GetValue(registerName),
                    Role: parse.GetValue(role),
                    Model: parse.GetValue(model),
                    Capabilities: parse.GetValue(capabilities) ?? [],
                    MaxConcurrentTasks: parse.GetValue(maxConcurrent) ?? 1,
                    Specialization: Scores(parse.GetValue(specialization))), ct);
                if (ctx.Json) ctx.WriteJson(reply.Json);
                else ctx.Console.MarkupLine(
                    $"Registered agent [green]{Markup.Escape(reply.Value.Name ?? "")}[/] ({Markup.Escape(reply.Value.Role ?? "")} on {Markup.Escape(reply.Value.Model ?? "")})");
            });

        var updateName = new Argument<string>("name") { Description = "The agent's name" };
        var newRole = new Option<string?>("--role") { Description = "A new role" };
        var newModel = new Option<string?>("--model") { Description = "A new model" };
        var newCapabilities = Capabilities();
        var newMax = MaxConcurrent();
        var newSpecialization = Specialization();
        var update = new Command("update", "Change an agent's role, model, capabilities, limit or specialization (what is not given stays)")
            { updateName, newRole, newModel, newCapabilities, newMax, newSpecialization }
            .WithAction(context, async (ctx, parse, ct) =>
            {
                var caps = parse.GetValue(newCapabilities);
                var scores = parse.GetValue(newSpecialization);
                var reply = await ctx.Client.PutAsync<AgentProfileDto>($"/api/agents/{Uri.EscapeDataString(parse.GetValue(updateName)!)}",
                    new UpdateAgentRequest(
                        Role: parse.GetValue(newRole),
                        Model: parse.GetValue(newModel),
                        Capabilities: caps is { Length: > 0 } ? caps : null,
                        MaxConcurrentTasks: parse.GetValue(newMax),
                        Specialization: scores is { Length: > 0 } ? Scores(scores) : null), ct);
                if (ctx.Json) ctx.WriteJson(reply.Json);
                else ctx.Console.MarkupLine(
                    $"Updated agent [green]{Markup.Escape(reply.Value.Name ?? "")}[/] ({Markup.Escape(reply.Value.Role ?? "")} on {Markup.Escape(reply.Value.Model ?? "")})");
            });

        var removeName = new Argument<string>("name") { Description = "The agent's name" };
        var remove = new Command("remove", "Remove an agent (its learned performance stays in the analytics)") { removeName }
            .WithAction(context, async (ctx, parse, ct) =>
            {
                var reply = await ctx.Client.DeleteAsync<DeletedDto>($"/api/agents/{Uri.EscapeDataString(parse.GetValue(removeName)!)}", ct);
                if (ctx.Json) ctx.WriteJson(reply.Json);
                else ctx.Console.MarkupLine($"Removed agent [green]{Markup.Escape(reply.Value.Deleted ?? "")}[/]");
            });

        var agentFilter = new Option<string?>("--agent") { Description = "Only this agent" };
        var kindFilter = new Option<string?>("--kind") { Description = "Only this kind of task ('*': overall)" };
        var analytics = new Command("analytics", "Learned performance per agent and kind of task") { agentFilter, kindFilter }
            .WithAction(context, async (ctx, parse, ct) =>
            {
                var query = new List<string>();
                if (parse.GetValue(agentFilter) is { } agent) query.Add($"agent={Uri.EscapeDataString(agent)}");
                if (parse.GetValue(kindFilter) is { } kind) query.Add($"kind={Uri.EscapeDataString(kind)}");
                var reply = await ctx.Client.GetAsync<AgentAnalyticsDto>("/api/agents/analytics" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), ct);
                if (ctx.Json)
                {
                    ctx.WriteJson(reply.Json);
                    return;
                }
                var entries = reply.Value.Entries;
                if (entries.Count == 0) ctx.Console.MarkupLine("No outcomes recorded yet.");
                else ctx.Console.Write(PerformanceTable(entries, withAgent: true));
            });

        return new Command("agents", "Agents: list, show, register, update, remove, analytics") { list, show, register, update, remove, analytics };
    }

    private static Option<string[]> Capabilities() =>
        new("--capability", "-c") { Description = "A capability (repeatable)", AllowMultipleArgumentsPerToken = true };

    private static Option<int?> MaxConcurrent()
    {
        return CheckedOptions.WholeNumber("--max-concurrent", "How many tasks it takes at once (1 when absent)", 1, int.MaxValue);
    }

    private static Option<string[]> Specialization()
    {
        var option = new Option<string[]>("--specialization", "-s")
        { Description = "A declared score at a kind of task as KIND=SCORE, 0 to 1 (repeatable)", AllowMultipleArgumentsPerToken = true };
        option.Validators.Add(r =>
        {
            foreach (var pair in r.GetValueOrDefault<string[]>() ?? [])
            {
                var at = pair.IndexOf('=');
                if (at <= 0 || !double.TryParse(pair[(at + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    r.AddError($"--specialization '{pair}' is not KIND=SCORE (e.g. -s code=0.8).");
            }
        });
        return option;
    }

    private static Dictionary<string, double> Scores(string[]? pairs) =>
        (pairs ?? []).Select(p => (Kind: p[..p.IndexOf('=')], Score: double.Parse(p[(p.IndexOf('=') + 1)..], CultureInfo.InvariantCulture)))
            .GroupBy(p => p.Kind, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Score, StringComparer.Ordinal);

    private static Table PerformanceTable(IEnumerable<KindPerformanceDto> entries, bool withAgent)
    {
        var table = withAgent ? new Table().AddColumns("Agent", "Kind") : new Table().AddColumns("Kind");
        table.AddColumns("Samples", "Success", "Latency ms", "Tokens/s", "Quality", "Last");
        foreach (var e in entries)
        {
            var p = e.Performance;
            var cells = new List<string>();
            if (withAgent) cells.Add(Markup.Escape(e.Agent ?? ""));
            cells.Add(Markup.Escape(e.Kind ?? ""));
            cells.Add(p.Samples.ToString(CultureInfo.InvariantCulture));
            cells.Add(Percent(p, p.SuccessRate));
            cells.Add(Number(p, p.LatencyMs, "0"));
            cells.Add(Number(p, p.TokensPerSecond, "0.0"));
            cells.Add(p.QualitySamples > 0 ? Number(p, p.Quality, "0.00") : "");
            cells.Add(p.LastAt is { } t ? t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "");
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    private static string Percent(PerformanceDto p, double rate) =>
        p.Samples == 0 ? "" : (rate * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Number(PerformanceDto p, double value, string format) =>
        p.Samples == 0 && p.QualitySamples == 0 ? "" : value.ToString(format, CultureInfo.InvariantCulture);
}
