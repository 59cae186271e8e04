namespace Orchestrator.Core.Protocol;

/// <summary>Something a parser had to forgive to read a reply (<c>no-markers</c>, <c>fenced-json</c>,
/// <c>balanced-object</c>, <c>repaired</c>...); each becomes a <c>ProtocolWarning</c> event.</summary>
public sealed record ParseWarning(string Code, string Message);
