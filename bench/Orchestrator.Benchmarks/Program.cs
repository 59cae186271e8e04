if (args.Length > 0 && args[0] == "llama-pool") return await Orchestrator.Benchmarks.LlamaPoolBenchmark.RunAsync(args[1..]);
Console.WriteLine("benchmarks");
return 0;
