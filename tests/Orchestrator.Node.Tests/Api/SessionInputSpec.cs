using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orchestrator.Core.Sessions;
using Orchestrator.Engine.Client;
using Orchestrator.Messages.Sessions;
using Orchestrator.Node.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Api;

/// <summary>A session's inputs: held to <c>orchestrator.sessions.max-input-size</c> on every path, and stored once.</summary>
public sealed class SessionInputSpec : IAsyncLifetime
{
    private const int Limit = 64 * 1024;
    private InProcessNode _node = null!;

    public async Task InitializeAsync() => _node = await InProcessNode.StartAsync($"""
        orchestrator.sessions.templates-path = {HoconText.Quote(Path.Combine(RepositoryRoot.Path, "config", "workflows"))}
        orchestrator.sessions.max-input-size = 64 KiB
        """);

    public async Task DisposeAsync() => await _node.DisposeAsync();

    /// <summary>Text of <paramref name="bytes"/> UTF-8 bytes that the default JSON encoder would escape almost whole:
    /// accented letters, quotes and angle brackets.</summary>
    private static string Manuscript(int bytes)
    {
        var text = new StringBuilder();
        while (Encoding.UTF8.GetByteCount(text.ToString()) + 16 < bytes) text.Append("Zażółć \"gęślą\" <jaźń> & ");
        return text.ToString();
    }

    private static object Review(string id, string manuscript) =>
        new { template = "manuscript-review", id, inputs = new Dictionary<string, string> { ["MANUSCRIPT"] = manuscript } };

    [Fact]
    public async Task Inputs_over_the_limit_are_refused_with_413_naming_the_limit_and_its_key()
    {
        var response = await _node.Http.PostAsJsonAsync("/api/sessions", Review("too-large", Manuscript(Limit + 1024)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains($"at most {Limit}", detail);
        Assert.Contains(SessionInputLimit.Key, detail);
        Assert.Equal(HttpStatusCode.NotFound, (await _node.Http.GetAsync("/api/sessions/too-large")).StatusCode);
    }

    [Fact]
    public async Task A_start_from_an_actor_is_held_to_the_same_limit()
    {
        var client = _node.Services.GetRequiredService<OrchestratorClient>();

        var result = await client.StartAsync("too-large-by-message", "manuscript-review",
            new Dictionary<string, string> { ["MANUSCRIPT"] = Manuscript(Limit + 1024) }, CancellationToken.None);

        var rejected = result.Match<SessionReplies.SessionRejected?>(_ => null, _ => null, r => r);
        Assert.NotNull(rejected);
        Assert.Contains(rejected.Problems, p => p.Contains($"at most {Limit}") && p.Contains(SessionInputLimit.Key));
        Assert.Equal(HttpStatusCode.NotFound, (await _node.Http.GetAsync("/api/sessions/too-large-by-message")).StatusCode);
    }

    [Fact]
    public async Task An_input_is_stored_once_however_many_prompts_use_it()
    {
        // manuscript-review uses {MANUSCRIPT} in five nodes: copied into each, its two first events held eleven copies.
        var manuscript = Manuscript(Limit - 1024);
        var created = await _node.Http.PostAsJsonAsync("/api/sessions", Review("stored-once", manuscript));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await using var connection = new SqliteConnection($"Data Source={_node.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var rows = connection.CreateCommand();
        rows.CommandText = "SELECT SUM(LENGTH(message)) FROM journal WHERE persistence_id = 'session-stored-once' AND sequence_number <= 2";
        var bytes = Convert.ToInt64(await rows.ExecuteScalarAsync());

        var input = Encoding.UTF8.GetByteCount(manuscript);
        // One copy, its quotes escaped (two bytes each), and the template's own text.
        Assert.InRange(bytes, input, input * 13 / 10 + 32 * 1024);

        // The task still gets the input in its prompt.
        var detail = await _node.Http.GetFromJsonAsync<JsonElement>("/api/sessions/stored-once");
        Assert.Equal(7, detail.GetProperty("totalTasks").GetInt32());
    }
}
