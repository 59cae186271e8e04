using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Node.Tests.Api;

public sealed class ApiSecuritySpec
{
    [Fact]
    public async Task With_a_token_every_request_needs_it_and_the_config_never_shows_it()
    {
        await using var node = await InProcessNode.StartAsync(token: "t0k3n-for-spec");
        using var anonymous = new HttpClient { BaseAddress = node.Http.BaseAddress };

        var refused = await anonymous.GetAsync("/api/cluster");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/health/ready")).StatusCode);

        var config = await node.Http.GetFromJsonAsync<JsonElement>("/api/config");
        Assert.Equal("<redacted>", config.GetProperty("api").GetProperty("token").GetString());
        Assert.DoesNotContain("t0k3n-for-spec", config.ToString());
        // A count of tokens is no secret: only a key with 'token' as one of its words is.
        Assert.Equal("1024", config.GetProperty("sessions").GetProperty("max-tokens").GetString());
    }

    [Fact]
    public async Task Connection_string_passwords_are_redacted()
    {
        await using var node = await InProcessNode.StartAsync(
            "orchestrator.persistence.postgresql.connection-string = \"Host=db;Username=u;Password=hunter2;Database=d\"");

        var text = await node.Http.GetStringAsync("/api/config?section=orchestrator.persistence");

        Assert.DoesNotContain("hunter2", text);
        Assert.Contains("Password=<redacted>", text);
    }

    [Fact]
    public async Task Oversized_bodies_are_refused()
    {
        await using var node = await InProcessNode.StartAsync("orchestrator.api.max-body-size = 1 KiB");

        var response = await node.Http.PostAsync("/api/cluster/down-unreachable", new ByteArrayContent(new byte[64 * 1024]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
