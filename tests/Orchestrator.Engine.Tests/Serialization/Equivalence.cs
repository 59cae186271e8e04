using System.Collections;
using System.Reflection;

namespace Orchestrator.Engine.Tests.Serialization;

/// <summary>Deep comparison of two message instances by their public properties, collections element by element:
/// records compare collections by reference, which a round trip never preserves.</summary>
internal static class Equivalence
{
    public static void AssertEquivalent(object? expected, object? actual, string path = "$")
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected ?? "null"}, got {actual ?? "null"}.");
            return;
        }
        Assert.True(expected.GetType() == actual.GetType(), $"{path}: expected a {expected.GetType()}, got a {actual.GetType()}.");
        var type = expected.GetType();
        if (type.IsPrimitive || type.IsEnum || expected is string or decimal or Guid or DateTime or DateTimeOffset or TimeSpan or Uri)
        {
            Assert.True(Equals(expected, actual), $"{path}: expected {expected}, got {actual}.");
            return;
        }
        if (expected is IDictionary expectedDictionary && actual is IDictionary actualDictionary)
        {
            Assert.True(expectedDictionary.Count == actualDictionary.Count, $"{path}: expected {expectedDictionary.Count} entries, got {actualDictionary.Count}.");
            foreach (DictionaryEntry entry in expectedDictionary)
            {
                Assert.True(actualDictionary.Contains(entry.Key), $"{path}: key {entry.Key} is missing.");
                AssertEquivalent(entry.Value, actualDictionary[entry.Key], $"{path}[{entry.Key}]");
            }
            return;
        }
        if (expected is IEnumerable expectedItems && actual is IEnumerable actualItems)
        {
            var e = expectedItems.Cast<object?>().ToList();
            var a = actualItems.Cast<object?>().ToList();
            Assert.True(e.Count == a.Count, $"{path}: expected {e.Count} items, got {a.Count}.");
            for (var i = 0; i < e.Count; i++)
                AssertEquivalent(e[i], a[i], $"{path}[{i}]");
            return;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            AssertEquivalent(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
    }
}
