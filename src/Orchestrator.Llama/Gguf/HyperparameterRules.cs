namespace Orchestrator.Llama.Gguf;

/// <summary>Hyperparameter combinations llama.cpp aborts on instead of refusing, found by fuzzing its load path, each
/// keyed by the architecture's own prefix (<c>&lt;arch&gt;.</c>): too many layers, expert counts alone or
/// inconsistent, expert groups that do not fit, more next-token-prediction layers than layers, an unknown rope
/// scaling type, a negative or NaN norm epsilon.</summary>
internal static class HyperparameterRules
{
    /// <summary>Most layers accepted (llama.cpp's per-layer arrays hold 512).</summary>
    public const int MaxBlockCount = 512;

    /// <summary>Rope scaling types llama.cpp knows.</summary>
    public static readonly IReadOnlySet<string> RopeScalingTypes = new HashSet<string>(StringComparer.Ordinal) { "none", "linear", "yarn", "longrope" };

    public static void Validate(GgufFile file, string arch, long layers)
    {
        if (layers > MaxBlockCount)
            throw GgufValidator.Fail(file, $"{arch}.block_count is {layers}; llama.cpp holds at most {MaxBlockCount} layers.");

        var experts = file.GetInt($"{arch}.expert_count");
        var used = file.GetInt($"{arch}.expert_used_count");
        if (experts is null && used is > 0)
            throw GgufValidator.Fail(file, $"{arch}.expert_used_count is {used} but {arch}.expert_count is missing.");
        if (experts is > 0 && used is null)
            throw GgufValidator.Fail(file, $"{arch}.expert_count is {experts} but {arch}.expert_used_count is missing.");
        if (experts is < 0 || used is < 0 || (experts is > 0 && (used is 0 || used > experts)))
            throw GgufValidator.Fail(file, $"{arch}.expert_used_count {used} must be between 1 and {arch}.expert_count {experts}.");

        var groups = file.GetInt($"{arch}.expert_group_count");
        var groupsUsed = file.GetInt($"{arch}.expert_group_used_count");
        if (groups is not null || groupsUsed is not null)
        {
            if (experts is not > 0)
                throw GgufValidator.Fail(file, $"{arch}.expert_group_count is set but the model has no experts ({arch}.expert_count).");
            if (groups is not > 0 || experts % groups != 0)
                throw GgufValidator.Fail(file, $"{arch}.expert_group_count {groups} must be positive and divide {arch}.expert_count {experts}.");
            if (groupsUsed is not > 0 || groupsUsed > groups)
                throw GgufValidator.Fail(file, $"{arch}.expert_group_used_count {groupsUsed} must be between 1 and {arch}.expert_group_count {groups}.");
        }

        if (file.GetInt($"{arch}.nextn_predict_layers") is { } nextn && (nextn < 0 || nextn > layers))
            throw GgufValidator.Fail(file, $"{arch}.nextn_predict_layers {nextn} must be between 0 and {arch}.block_count {layers}.");

        if (file.Metadata.TryGetValue($"{arch}.rope.scaling.type", out var scaling) &&
            (scaling.Value is not string s || !RopeScalingTypes.Contains(s)))
            throw GgufValidator.Fail(file, $"{arch}.rope.scaling.type '{scaling.Value}' is unknown (known: {string.Join(", ", RopeScalingTypes.Order())}).");

        foreach (var key in new[] { $"{arch}.attention.layer_norm_rms_epsilon", $"{arch}.attention.layer_norm_epsilon" })
            if (file.Metadata.TryGetValue(key, out var eps) && (eps.AsDouble() is not { } e || double.IsNaN(e) || double.IsInfinity(e) || e < 0))
                throw GgufValidator.Fail(file, $"{key} is {eps.Value}; it must be a finite number not below 0.");
    }
}
