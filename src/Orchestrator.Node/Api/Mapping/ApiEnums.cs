namespace Orchestrator.Node.Api.Mapping;

/// <summary>An engine enum as its contract enum: the same member names (a spec checks every member maps).</summary>
internal static class ApiEnums
{
    public static TTo Map<TFrom, TTo>(TFrom value) where TFrom : struct, Enum where TTo : struct, Enum =>
        Enum.Parse<TTo>(value.ToString());
}
