using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Tests.Validation;

/// <summary>The JSON Schema subset a person's answers are held to: schemas outside it are refused where they are
/// written, and a value that fails names the path that fails.</summary>
public class JsonSchemaSubsetSpec
{
    private const string Order = """
        {"type": "object", "additionalProperties": false, "required": ["items"],
         "properties": {"items": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["name"],
           "properties": {"name": {"type": "string", "maxLength": 5}, "size": {"enum": ["s", "m"]}}}},
           "note": {"type": ["string", "null"]}}}
        """;

    [Theory]
    [InlineData("""{"items": [{"name": "a"}], "note": null}""", null)]
    [InlineData("""{"items": []}""", "$.items must have at least 1 items")]
    [InlineData("""{"items": [{"name": "a"}, {"name": "toolong"}]}""", "$.items[1].name must have at most 5 characters")]
    [InlineData("""{"items": [{"name": "a", "size": "xl"}]}""", "$.items[0].size must be one of \"s\", \"m\"")]
    [InlineData("""{"items": [{}]}""", "$.items[0].name is required")]
    [InlineData("""{"items": [{"name": "a"}], "extra": 1}""", "$.extra is not a property the schema allows")]
    [InlineData("""{"items": [{"name": "a"}], "note": 3}""", "$.note must be string or null, not an integer")]
    [InlineData("""[1]""", "$ must be object, not an array")]
    public void A_value_is_checked_and_a_failure_names_its_path(string value, string? problem) =>
        Assert.Equal(problem, JsonSchemaSubset.Check(Order, value));

    [Fact]
    public void An_integer_is_a_whole_number_and_bounds_hold() =>
        Assert.Equal(
            [null, "$ must be integer, not a number", "$ must be at most 10"],
            new[] { "10.0", "1.5", "11" }.Select(v => JsonSchemaSubset.Check("""{"type": "integer", "maximum": 10}""", v)));

    [Theory]
    [InlineData(Order, null)]
    [InlineData("""{"type": "object", "properties": {"a": {"pattern": "x"}}}""", "#/properties/a/pattern: 'pattern' is not supported")]
    [InlineData("""{"type": "date"}""", "#/type must be one of object")]
    [InlineData("""{"minItems": -1}""", "#/minItems must be a whole number of 0 or more")]
    [InlineData("""{"enum": []}""", "#/enum must be a list of one value or more")]
    [InlineData("""{"items": 3}""", "#/items must be a JSON object, not an integer")]
    [InlineData("""[]""", "# must be a JSON object, not an array")]
    [InlineData("""{"type": """, "it is not valid JSON")]
    public void A_schema_outside_the_subset_is_refused_naming_where(string schema, string? problem)
    {
        var problems = JsonSchemaSubset.Problems(schema);
        if (problem is null) Assert.Empty(problems);
        else Assert.StartsWith(problem, Assert.Single(problems));
    }
}
