using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Orchestrator.Cli.Commands;

/// <summary>Options whose value is checked while the command line is parsed: a value of the wrong form is a usage error
/// (exit 2) whose one line names the option and the form it expects, never an exception.</summary>
internal static class CheckedOptions
{
    /// <summary>An optional whole number from <paramref name="min"/> to <paramref name="max"/>; null when absent.</summary>
    public static Option<T?> WholeNumber<T>(string name, string description, T min, T max, params string[] aliases)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T> =>
        new(name, aliases)
        {
            Description = description,
            HelpName = "N",
            CustomParser = result => Parse(result, name, min, max) is { } value ? value : null,
        };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, <paramref name="fallback"/> when absent.</summary>
    public static Option<T> WholeNumber<T>(string name, string description, T min, T max, T fallback, params string[] aliases)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T> =>
        new(name, aliases)
        {
            Description = description,
            HelpName = "N",
            DefaultValueFactory = _ => fallback,
            CustomParser = result => result.Tokens.Count == 0 ? fallback : Parse(result, name, min, max) ?? fallback,
        };

    /// <summary>An optional value that must be one of <paramref name="choices"/> (offered as completions too).</summary>
    public static Option<string?> OneOf(string name, string description, params string[] choices)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = string.Join('|', choices) };
        option.CompletionSources.Add(choices);
        option.Validators.Add(result =>
        {
            var value = result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;
            if (value is not null && !choices.Contains(value, StringComparer.Ordinal))
                result.AddError($"{name} expects one of {string.Join(", ", choices)}, not '{value}'.");
        });
        return option;
    }

    /// <summary>The expected form in words: "a whole number from 1 to 32", "a whole number of at least 1".</summary>
    internal static string Form<T>(T min, T max) where T : struct, IBinaryInteger<T>, IMinMaxValue<T> =>
        (min == T.MinValue, max == T.MaxValue) switch
        {
            (true, true) => "a whole number",
            (false, true) => $"a whole number of at least {min.ToString(null, CultureInfo.InvariantCulture)}",
            (true, false) => $"a whole number of at most {max.ToString(null, CultureInfo.InvariantCulture)}",
            _ => $"a whole number from {min.ToString(null, CultureInfo.InvariantCulture)} to {max.ToString(null, CultureInfo.InvariantCulture)}",
        };

    private static T? Parse<T>(ArgumentResult result, string name, T min, T max) where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
        if (T.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        var example = T.Clamp(T.CreateChecked(10), min, max);
        result.AddError($"{name} expects {Form(min, max)} (e.g. {name} {example.ToString(null, CultureInfo.InvariantCulture)}), not '{text}'.");
        return null;
    }
}
