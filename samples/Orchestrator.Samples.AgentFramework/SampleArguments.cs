namespace Orchestrator.Samples.AgentFramework;

/// <summary>What the sample runs against: the node's base URL, a model it serves, its bearer token (when it has one)
/// and the most tokens an answer may have; from the arguments, else from <c>ORCH_*</c> environment variables.</summary>
internal sealed record SampleArguments(Uri Node, string Model, string? Token, int MaxTokens)
{
    /// <summary>How the sample is run.</summary>
    public const string Usage = """
        usage: Orchestrator.Samples.AgentFramework --model NAME [--url URL] [--token TOKEN] [--max-tokens N]
          --model NAME      a model the node serves, as GET /v1/models lists it (ORCH_MODEL)
          --url URL         the node's base URL (ORCH_URL; default http://127.0.0.1:9110)
          --token TOKEN     the node's bearer token, when it has one (ORCH_API_TOKEN)
          --max-tokens N    the most tokens one answer may have (default 128)
        """;

    /// <summary>Reads <paramref name="args"/> over the environment variables <paramref name="environment"/> gives; a
    /// missing or wrong value is returned as the error to print beside the usage.</summary>
    public static (SampleArguments? Arguments, string? Error) Read(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["--model"] = environment("ORCH_MODEL"),
            ["--url"] = environment("ORCH_URL") ?? "http://127.0.0.1:9110",
            ["--token"] = environment("ORCH_API_TOKEN"),
            ["--max-tokens"] = "128",
        };
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!values.ContainsKey(args[i])) return (null, $"unknown argument '{args[i]}'");
            if (i + 1 == args.Count) return (null, $"{args[i]} needs a value");
            values[args[i]] = args[i + 1];
        }
        if (string.IsNullOrWhiteSpace(values["--model"])) return (null, "a model is needed: --model NAME or ORCH_MODEL");
        if (!Uri.TryCreate(values["--url"], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return (null, $"--url must be an http:// or https:// URL, not '{values["--url"]}'");
        if (!int.TryParse(values["--max-tokens"], out var maxTokens) || maxTokens < 1)
            return (null, $"--max-tokens must be a whole number of at least 1, not '{values["--max-tokens"]}'");
        var token = values["--token"];
        return (new SampleArguments(url, values["--model"]!, string.IsNullOrEmpty(token) ? null : token, maxTokens), null);
    }
}
