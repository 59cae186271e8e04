using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>agents list|show|register|update|remove|analytics</c>: the node's agent registry.</summary>
internal static class AgentCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var list = new Command("list", "List the agents with their health, workload and learned performance").WithAction(context, async (ctx, _, ct) =>
        {
            var reply = await ctx.Client.GetAsync("/api/agents", ct);
            if (ctx.Json)
            {
                ctx.WriteJson(reply);
                return;
            }
            var agents = reply.GetProperty("agents").EnumerateArray().ToList();
            if (agents.Count == 0)
            {
                ctx.Console.MarkupLine("No agents are registered (orch agents register NAME --role R --model M).");
                return;
            }
            var table = new Table().AddColumns("Agent", "Role", "Model", "Capabilities", "Healthy", "Tasks", "Samples", "Success", "Latency ms",
                "Tokens/s", "Quality");
            foreach (var a in agents)
            {
                var p = a.GetProperty("performance");
                table.AddRow(
                    Markup.Escape(Text(a, "name")),
                    Markup.Escape(Text(a, "role")),
                    Markup.Escape(Text(a, "model")),
                    Markup.Escape(string.Join(", ", a.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()))),
                    a.GetProperty("healthy").GetBoolean() ? "[green]yes[/]" : "[red]no[/]",
                    $"{a.GetProperty("inFlight").GetInt32()} of {a.GetProperty("maxConcurrentTasks").GetInt32()}",
                    p.GetProperty("samples").GetInt64().ToString(CultureInfo.InvariantCulture),
                    Percent(p, "successRate"),
                    Number(p, "latencyMs", "0"),
                    Number(p, "tokensPerSecond", "0.0"),
                    p.GetProperty("qualitySamples").GetInt64() > 0 ? Number(p, "quality", "0.00") : "");
            }
            ctx.Console.Write(table);
        });

        var showName = new Argument<string>("name") { Description = "The agent's name" };
        var show = new Command("show", "Show an agent's profile, workload and learned performance per task kind") { showName }
            .WithAction(context, async (ctx, parse, ct) =>
            {
                var a = await ctx.Client.GetAsync($"/api/agents/{Uri.EscapeDataString(parse.GetValue(showName)!)}", ct);
                if (ctx.Json)
                {
                    ctx.WriteJson(a);
                    return;
                }
                var specialization = a.GetProperty("specialization").EnumerateObject()
                    .Select(s => $"{s.Name}={s.Value.GetDouble().ToString("0.##", CultureInfo.InvariantCulture)}");
                ctx.Console.Write(new Table().AddColumns("Field", "Value").HideHeaders()
                    .AddRow("name", Markup.Escape(Text(a, "name")))
                    .AddRow("role", Markup.Escape(Text(a, "role")))
                    .AddRow("model", Markup.Escape(Text(a, "model")))
                    .AddRow("healthy", a.GetProperty("healthy").GetBoolean() ? "[green]yes[/]" : "[red]no (its model is down)[/]")
                    .AddRow("capabilities", Markup.Escape(string.Join(", ", a.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()))))
                    .AddRow("specialization", Markup.Escape(string.Join(", ", specialization)))
                    .AddRow("tasks in flight", $"{a.GetProperty("inFlight").GetInt32()} of {a.GetProperty("maxConcurrentTasks").GetInt32()}"));
                var kinds = a.TryGetProperty("kinds", out var k) && k.ValueKind == JsonValueKind.Array ? k.EnumerateArray().ToList() : [];
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
                var reply = await ctx.Client.PostAsync("/api/agents", new
                {
                    name = parse.GetValue(registerName),
                    role = parse.GetValue(role),
                    model = parse.GetValue(model),
                    capabilities = parse.GetValue(capabilities) ?? [],
                    maxConcurrentTasks = parse.GetValue(maxConcurrent) ?? 1,
                    specialization = Scores(parse.GetValue(specialization)),
                }, ct);
                if (ctx.Json) ctx.WriteJson(reply);
                else ctx.Console.MarkupLine(
                    $"Registered agent [green]{Markup.Escape(Text(reply, "name"))}[/] ({Markup.Escape(Text(reply, "role"))} on {Markup.Escape(Text(reply, "model"))})");
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
                var reply = await ctx.Client.PutAsync($"/api/agents/{Uri.EscapeDataString(parse.GetValue(updateName)!)}", new
                {
                    role = parse.GetValue(newRole),
                    model = parse.GetValue(newModel),
                    capabilities = caps is { Length: > 0 } ? caps : null,
                    maxConcurrentTasks = parse.GetValue(newMax),
                    specialization = scores is { Length: > 0 } ? Scores(scores) : null,
                }, ct);
                if (ctx.Json) ctx.WriteJson(reply);
                else ctx.Console.MarkupLine(
                    $"Updated agent [green]{Markup.Escape(Text(reply, "name"))}[/] ({Markup.Escape(Text(reply, "role"))} on {Markup.Escape(Text(reply, "model"))})");
            });

        var removeName = new Argument<string>("name") { Description = "The agent's name" };
        var remove = new Command("remove", "Remove an agent (its learned performance stays in the analytics)") { removeName }
            .WithAction(context, async (ctx, parse, ct) =>
            {
                var reply = await ctx.Client.DeleteAsync($"/api/agents/{Uri.EscapeDataString(parse.GetValue(removeName)!)}", ct);
                if (ctx.Json) ctx.WriteJson(reply);
                else ctx.Console.MarkupLine($"Removed agent [green]{Markup.Escape(Text(reply, "deleted"))}[/]");
            });

        var agentFilter = new Option<string?>("--agent") { Description = "Only this agent" };
        var kindFilter = new Option<string?>("--kind") { Description = "Only this kind of task ('*': overall)" };
        var analytics = new Command("analytics", "Learned performance per agent and kind of task") { agentFilter, kindFilter }
            .WithAction(context, async (ctx, parse, ct) =>
            {
                var query = new List<string>();
                if (parse.GetValue(agentFilter) is { } agent) query.Add($"agent={Uri.EscapeDataString(agent)}");
                if (parse.GetValue(kindFilter) is { } kind) query.Add($"kind={Uri.EscapeDataString(kind)}");
                var reply = await ctx.Client.GetAsync("/api/agents/analytics" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), ct);
                if (ctx.Json)
                {
                    ctx.WriteJson(reply);
                    return;
                }
                var entries = reply.GetProperty("entries").EnumerateArray().ToList();
                if (entries.Count == 0) ctx.Console.MarkupLine("No outcomes recorded yet.");
                else ctx.Console.Write(PerformanceTable(entries, withAgent: true));
            });

        return new Command("agents", "Agents: list, show, register, update, remove, analytics") { list, show, register, update, remove, analytics };
    }

    private static Option<string[]> Capabilities() =>
        new("--capability", "-c") { Description = "A capability (repeatable)", AllowMultipleArgumentsPerToken = true };

    private static Option<int?> MaxConcurrent()
    {
        var option = new Option<int?>("--max-concurrent") { Description = "How many tasks it takes at once (1 when absent)" };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--max-concurrent must be at least 1.");
        });
        return option;
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

    private static Table PerformanceTable(IEnumerable<JsonElement> entries, bool withAgent)
    {
        var table = withAgent ? new Table().AddColumns("Agent", "Kind") : new Table().AddColumns("Kind");
        table.AddColumns("Samples", "Success", "Latency ms", "Tokens/s", "Quality", "Last");
        foreach (var e in entries)
        {
            var p = e.GetProperty("performance");
            var cells = new List<string>();
            if (withAgent) cells.Add(Markup.Escape(Text(e, "agent")));
            cells.Add(Markup.Escape(Text(e, "kind")));
            cells.Add(p.GetProperty("samples").GetInt64().ToString(CultureInfo.InvariantCulture));
            cells.Add(Percent(p, "successRate"));
            cells.Add(Number(p, "latencyMs", "0"));
            cells.Add(Number(p, "tokensPerSecond", "0.0"));
            cells.Add(p.GetProperty("qualitySamples").GetInt64() > 0 ? Number(p, "quality", "0.00") : "");
            cells.Add(p.TryGetProperty("lastAt", out var at) && at.ValueKind == JsonValueKind.String && at.TryGetDateTimeOffset(out var t)
                ? t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "");
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    private static string Percent(JsonElement p, string name) =>
        p.GetProperty("samples").GetInt64() == 0 ? "" : (p.GetProperty(name).GetDouble() * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Number(JsonElement p, string name, string format) =>
        p.GetProperty("samples").GetInt64() == 0 && p.GetProperty("qualitySamples").GetInt64() == 0
            ? "" : p.GetProperty(name).GetDouble().ToString(format, CultureInfo.InvariantCulture);

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : "";
}
