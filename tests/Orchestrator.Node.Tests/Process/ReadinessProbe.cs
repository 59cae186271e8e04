using System.Net;
using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.Node.Tests.Process;

/// <summary>Polls a node's <c>/health/ready</c> until it answers a given status with a detail that satisfies a
/// condition, within a deadline.</summary>
internal static class ReadinessProbe
{
    /// <summary>Waits for <paramref name="status"/> with a detail for which <paramref name="detail"/> holds; returns that detail.</summary>
    public static async Task<string> WaitForAsync(int apiPort, HttpStatusCode status, Func<string, bool> detail, TimeSpan timeout, Func<string> transcript)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var last = "no answer yet";
        string? matched = null;
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{apiPort}/health/ready");
                var text = (JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()) ?? "";
                last = $"{(int)response.StatusCode} {text}";
                if (response.StatusCode != status || !detail(text))
                    return false;
                matched = text;
                return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
                return false;
            }
        }, timeout, () => $"/health/ready never answered {(int)status} as expected; last: {last}\n{transcript()}");
        return matched!;
    }
}
