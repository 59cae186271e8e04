using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Llama.Gguf;
using Orchestrator.Llama.Pool;
using Orchestrator.Node.Configuration;
using Orchestrator.Node.Tests.Api;
using Orchestrator.Testing;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Node.Tests.Process;

/// <summary>Model pools in their own processes (<c>orchestrator.llm.hosting = process</c>, the default): a node whose
/// model host aborts in llama.cpp, or is killed, answers the generations that host held with the reason, keeps
/// serving its other models, and starts the host again.</summary>
public sealed class ModelHostSpec : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("orch-hosts-").FullName;
    private InProcessNode _node = null!;
    private IActorRef _models = ActorRefs.Nobody;

    public async Task InitializeAsync()
    {
        var tiny = Path.Combine(_dir, "tiny.gguf");
        TinyModel.Write(tiny, TinyModelSpec.Tiny);
        var nan = Path.Combine(_dir, "nan.gguf");
        NaNModel.Write(nan);
        _node = await InProcessNode.StartAsync($$"""
            orchestrator.llm.probe.cache-path = {{HoconText.Quote(Path.Combine(_dir, "probes"))}}
            orchestrator.llm.models.tiny { path = {{HoconText.Quote(tiny)}}, context-size = 1024, sequences = 2, threads = 1 }
            orchestrator.llm.models.nan { path = {{HoconText.Quote(nan)}}, context-size = 1024, sequences = 2, threads = 1 }
            """);
        _models = await _node.Services.GetRequiredService<IRequiredActor<ModelManager>>().GetAsync();
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static Generate Hello(string id, string model, int tokens = 4, string? grammar = null) =>
        new(id, model, Prompt: "Hello", Sampling: SamplingOptions.Greedy with { IgnoreEos = true }, MaxTokens: tokens, Grammar: grammar,
            Stream: false);

    private Task<object> Ask(Generate request) => _models.Ask<object>(request, Patience);

    private async Task<ModelPool.PoolStatus> Status(string model) =>
        await _models.Ask<ModelPool.PoolStatus>(new ModelManager.GetPoolStatus(model), Patience);

    /// <summary>The process id of <paramref name="model"/>'s host, from the pool's status.</summary>
    private async Task<int> HostPid(string model)
    {
        var description = (await Status(model)).Description;
        Assert.NotNull(description);
        Assert.StartsWith("model host pid ", description);
        return int.Parse(description["model host pid ".Length..]);
    }

    /// <summary>Asks until the model answers with a result (a restarting pool fails fast), within the patience.</summary>
    private async Task<GenerateResult> ServedEventually(string model)
    {
        var attempt = 0;
        object? reply = null;
        await Eventually.HoldsAsync(async () => (reply = await Ask(Hello($"{model}-again-{attempt++}", model))) is GenerateResult, Patience,
            () => $"{model} still fails: {reply}");
        return (GenerateResult)reply!;
    }

    [Fact]
    public async Task A_pool_runs_in_its_own_process_and_serves_generations_from_there()
    {
        var result = Assert.IsType<GenerateResult>(await Ask(Hello("hosted-1", "tiny")));

        Assert.Equal(4, result.CompletionTokens);
        var pid = await HostPid("tiny");
        Assert.NotEqual(Environment.ProcessId, pid);
        Assert.False(System.Diagnostics.Process.GetProcessById(pid).HasExited);
    }

    [Fact]
    public async Task An_abort_in_llama_cpp_fails_that_generation_with_the_reason_and_the_node_serves_on()
    {
        Assert.IsType<GenerateResult>(await Ask(Hello("before", "tiny")));
        var firstHost = await HostPid("nan");

        var reply = await Ask(Hello("aborts", "nan", grammar: "root ::= [a-z]+"));

        var failed = Assert.IsType<GenerateFailed>(reply);
        Assert.Equal(FailureCodes.PoolFailed, failed.Code);
        Assert.Contains("SIGABRT", failed.Reason);
        Assert.Contains("grammar", failed.Reason); // llama.cpp's last line before it aborted
        Assert.IsType<GenerateResult>(await Ask(Hello("after", "tiny"))); // the other model's host is untouched
        await ServedEventually("nan"); // the aborted host was started again: an unconstrained request is answered
        Assert.NotEqual(firstHost, await HostPid("nan"));
    }

    [Fact]
    public async Task A_host_killed_with_a_generation_in_flight_fails_it_with_how_the_host_ended_and_is_started_again()
    {
        await ServedEventually("tiny");
        var pid = await HostPid("tiny");
        using var host = System.Diagnostics.Process.GetProcessById(pid);
        Signal(pid, "STOP"); // frozen: the request below stays in flight

        var reply = Ask(Hello("in-flight", "tiny", tokens: 64));
        await Eventually.HoldsAsync(async () => (await Status("tiny")).InFlight > 0, Patience, () => "the request never reached the pool");
        Signal(pid, "KILL");

        var failed = Assert.IsType<GenerateFailed>(await reply);
        Assert.Equal(FailureCodes.PoolFailed, failed.Code);
        Assert.Contains($"pid {pid}", failed.Reason);
        Assert.Contains("SIGKILL", failed.Reason);
        await ServedEventually("tiny");
        Assert.NotEqual(pid, await HostPid("tiny"));
    }

    [Fact]
    public async Task A_prompt_beyond_remoting_s_default_frame_reaches_the_host_and_is_refused_there_as_too_long()
    {
        var reply = await Ask(Hello("long", "tiny") with { Prompt = new string('a', 200_000) });

        var failed = Assert.IsType<GenerateFailed>(reply);
        Assert.Equal(FailureCodes.PromptTooLong, failed.Code);
        Assert.Contains("tokens", failed.Reason); // the pool's own check, in the host
    }

    [Fact]
    public async Task A_request_too_large_for_any_host_is_refused_by_the_node_with_its_size()
    {
        var reply = await Ask(Hello("huge", "tiny") with { Messages = [new ChatTurn("user", new string('a', 600_000))], Prompt = null });

        var failed = Assert.IsType<GenerateFailed>(reply);
        Assert.Equal(FailureCodes.PromptTooLong, failed.Code);
        Assert.Contains("600004 characters", failed.Reason);
    }

    [Fact]
    public async Task Stopping_the_node_stops_its_model_hosts_before_its_own_remoting()
    {
        await ServedEventually("tiny");
        using var host = System.Diagnostics.Process.GetProcessById(await HostPid("tiny"));

        await _node.DisposeAsync();
        // Ended already: the node waits for its hosts before its actor system (and remoting) ends, so each host's
        // remoting says goodbye to a node still listening (a host stopping beside the node's remoting drops the
        // connection, which both log as a failure).
        Assert.True(host.HasExited, "the node stopped before its model host");
        _node = await InProcessNode.StartAsync(); // DisposeAsync stops a node again; this one serves no model
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, pid.ToString()]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
