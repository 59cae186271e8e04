using System.Text;
using Orchestrator.Api.Contracts.Templates;
using Orchestrator.Core.Validation;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Workflows;
using Orchestrator.Node.Api.Mapping;

namespace Orchestrator.Node.Api;

/// <summary>One template as the node would run it (<c>orch templates show</c>) and the check of a template's HOCON text
/// (<c>orch templates validate</c>). The text is only parsed: nothing in it names a file the node reads.</summary>
public static class TemplateEndpoints
{
    /// <summary>Maps <c>GET /api/templates/{name}</c> and <c>POST /api/templates/validate</c>.</summary>
    public static void MapTemplateEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/templates/{name}", (string name, TemplateLibrary library) =>
        {
            if (TemplateInspector.Show(library, name) is not var (view, problems))
                return Problems.NotFound($"No template named '{InputEcho.Of(name)}' (GET /api/templates lists them).");
            if (view is null)
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Template does not resolve",
                    detail: string.Join("; ", problems.Select(p => p.Message)));
            var w = view.Workflow;
            return Results.Ok(new TemplateDto(
                w.Name, view.Template.Description, view.Template.Abstract, w.Lineage,
                view.Variables.Select(v => new TemplateVariableDto(v.Name, v.Default, v.Required, v.Description)).ToList(),
                w.Settings.ToDto(),
                w.Nodes.Select(n => new TemplateNodeDto(n.Id, n.AgentRole, n.Prompt, n.DependsOn, n.Priority,
                    (n.Timeout ?? WorkflowNode.DefaultTimeout).TotalSeconds, n.Retries, n.Phase, n.OutputSchema)).ToList()));
        }).Produces<TemplateDto>();

        app.MapPost("/api/templates/validate", async (HttpRequest request, TemplateLibrary library, TemplateTextLimits limits, CancellationToken ct) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(ct);
            if (string.IsNullOrWhiteSpace(text))
                return Problems.BadRequest("The body must be a template's HOCON text: workflow { name = ..., nodes { ... } }.");
            var (name, problems) = TemplateInspector.Validate(library, text, limits, ct);
            return Results.Ok(new TemplateValidationDto(problems.Count == 0, name, problems
                .Select(p => new TemplateProblemDto(p.Code, p.Message,
                    p.Location?.File == TemplateInspector.RequestFile && p.Location.Line > 0 ? p.Location.Line : null))
                .ToList()));
        }).Accepts<string>("text/plain", "application/hocon").Produces<TemplateValidationDto>();
    }
}
