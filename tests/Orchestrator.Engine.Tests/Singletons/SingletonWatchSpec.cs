using Akka.TestKit.Xunit2;
using Orchestrator.Engine.Singletons;
using Orchestrator.Engine.Tests.Support;
using Xunit.Abstractions;

namespace Orchestrator.Engine.Tests.Singletons;

/// <summary>A singleton its proxy has not found within the period is named in a warning.</summary>
public sealed class SingletonWatchSpec(ITestOutputHelper output) : TestKit(EngineTestConfig.Default, output: output)
{
    [Fact]
    public void A_singleton_not_found_within_the_period_is_warned_about_once()
    {
        EventFilter.Warning(contains: "Cluster singleton nobody: its proxy /user/nobodies has not found it").ExpectOne(TimeSpan.FromSeconds(10), () =>
            Sys.ActorOf(SingletonWatch.Props("nobody", "nobodies", TimeSpan.FromMilliseconds(200))));
    }
}
