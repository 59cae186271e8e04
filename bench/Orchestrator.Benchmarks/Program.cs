if (args.Length > 0 && args[0] == "llama-pool") Environment.Exit(await Orchestrator.Benchmarks.LlamaPoolBenchmark.RunAsync(args[1..]));
Console.WriteLine("benchmarks");
