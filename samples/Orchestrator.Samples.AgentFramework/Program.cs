using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using OpenAI;
using Orchestrator.Samples.AgentFramework;

// A Microsoft Agent Framework agent running on an Orchestrator node: the node's OpenAI-compatible endpoint (/v1) as an
// IChatClient, wrapped in a ChatClientAgent with instructions, asked once for a whole answer and once streamed.
if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(SampleArguments.Usage);
    return 0;
}
var (arguments, error) = SampleArguments.Read(args, Environment.GetEnvironmentVariable);
if (arguments is null)
{
    Console.Error.WriteLine($"error: {error}");
    Console.Error.WriteLine(SampleArguments.Usage);
    return 2;
}

// OpenAI's .NET client on the node's /v1, as Microsoft.Extensions.AI's IChatClient (a node without a token ignores the
// key). No retries: a refusal or an absent node is reported at once.
IChatClient chatClient = new OpenAI.Chat.ChatClient(arguments.Model, new ApiKeyCredential(arguments.Token ?? "none"),
    new OpenAIClientOptions { Endpoint = new Uri(arguments.Node, "v1"), RetryPolicy = new ClientRetryPolicy(maxRetries: 0) }).AsIChatClient();

var agent = new ChatClientAgent(chatClient, new ChatClientAgentOptions
{
    Name = "greeter",
    ChatOptions = new ChatOptions
    {
        Instructions = "You are a friendly assistant. Answer in one short sentence.",
        MaxOutputTokens = arguments.MaxTokens,
    },
});
const string Question = "Say hello to a new user of Orchestrator.";

try
{
    var reply = await agent.RunAsync(Question);
    Console.WriteLine($"reply: {reply.Text}");

    Console.Write("stream: ");
    var updates = 0;
    await foreach (var update in agent.RunStreamingAsync(Question))
    {
        Console.Write(update.Text); // each piece as it comes
        updates++;
    }
    Console.WriteLine();
    Console.WriteLine($"streamed: {updates} updates");
    return 0;
}
catch (ClientResultException e)
{
    // The node refused the request (an unknown model, a wrong token, a full queue) and its message says why, or it
    // did not answer at all (status 0).
    Console.Error.WriteLine(e.Status == 0
        ? $"error: no answer from {arguments.Node}: {e.Message}"
        : $"error: the node refused the request: {e.Message}");
    return 1;
}
