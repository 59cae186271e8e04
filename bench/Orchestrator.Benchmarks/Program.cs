using Orchestrator.Benchmarks;

if (args.Length > 0 && args[0] == "llama-pool")
    return await LlamaPoolBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "model-host")
    return await ModelHostBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "openai-endpoint")
    return await OpenAiEndpointBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "cluster-failover")
    return await ClusterFailoverBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "cluster-throughput")
    return await ClusterThroughputBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "cluster-soak")
    return await ClusterSoakBenchmark.RunAsync(args[1..]);
return await BenchmarkProgram.MainAsync(args);
