using Orchestrator.Benchmarks;

return await BenchmarkProgram.MainAsync(args);
