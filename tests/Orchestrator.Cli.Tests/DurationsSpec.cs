using System.Text.Json;
using Orchestrator.Api.Contracts;
using Orchestrator.Api.Contracts.Templates;
using Orchestrator.Cli.Commands;

namespace Orchestrator.Cli.Tests;

/// <summary>Durations print as people write them, in <c>templates show</c> too.</summary>
public sealed class DurationsSpec
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(100, "100ms")]
    [InlineData(5_000, "5s")]
    [InlineData(150_000, "2m30s")]
    [InlineData(1_500, "1s500ms")]
    [InlineData(3_600_000, "1h")]
    [InlineData(129_600_000, "1d12h")]
    [InlineData(-2_000, "-2s")]
    public void A_duration_prints_in_its_units(long milliseconds, string expected) =>
        Assert.Equal(expected, Durations.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public async Task Templates_show_prints_durations_readably()
    {
        var template = new TemplateDto("quick", "A quick one", false, ["quick"], [],
            new SessionSettingsDto(2, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2.5), null, 0.8, 3, 2, 1,
                TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1), null, 0),
            [new TemplateNodeDto("draft", "DEV", "Write.", [], 0, 60, 1, null, null)]);
        await using var node = new FakeNode(c => FakeNode.Json(c, JsonSerializer.Serialize(template, ApiJson.Options)));

        var (code, stdout, stderr) = await InProcessOrch.Run(node.Address, "templates", "show", "quick");

        Assert.True(code == 0, stdout + stderr);
        var dispatchSpacing = stdout.Split('\n').Single(l => l.Contains("dispatchSpacing", StringComparison.Ordinal));
        Assert.Contains(" 100ms ", dispatchSpacing);
        Assert.Contains(" 2m30s ", stdout.Split('\n').Single(l => l.Contains("timeBudget", StringComparison.Ordinal)));
        Assert.Contains(" 5s ", stdout.Split('\n').Single(l => l.Contains("retryBaseDelay", StringComparison.Ordinal)));
        Assert.DoesNotContain("00:00:00.1000000", stdout);
    }
}
