using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Orchestrator.Core.Ids;

namespace Orchestrator.Engine.Tests.Serialization;

/// <summary>Builds a sample instance of a message type through its widest public constructor (a record's primary
/// constructor), filling every parameter with a non-default value: strings, numbers, booleans, enums, times, ids,
/// collections and nested records. A value lost on a round trip then shows as a difference.</summary>
internal static class SampleMessages
{
    private const int MaxDepth = 5;

    public static object Build(Type type) => Value(type, type.Name, 0, new Counter());

    private sealed class Counter
    {
        private int _next;
        public int Next() => ++_next;
    }

    private static object Value(Type type, string name, int depth, Counter counter)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
            return Value(underlying, name, depth, counter);
        if (type == typeof(string)) return $"sample {name} {counter.Next()} ✓";
        if (type == typeof(bool)) return true;
        if (type == typeof(int)) return 1000 + counter.Next();
        if (type == typeof(long)) return 5_000_000_000L + counter.Next();
        if (type == typeof(short)) return (short)(100 + counter.Next());
        if (type == typeof(byte)) return (byte)(10 + counter.Next());
        if (type == typeof(uint)) return (uint)(2000 + counter.Next());
        if (type == typeof(ulong)) return (ulong)(3000 + counter.Next());
        if (type == typeof(double)) return 0.25 + counter.Next();
        if (type == typeof(float)) return 0.5f + counter.Next();
        if (type == typeof(decimal)) return 1.125m + counter.Next();
        if (type == typeof(Guid)) return new Guid(counter.Next(), 2, 3, [4, 5, 6, 7, 8, 9, 10, 11]);
        if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 11, 23, 10, 0, counter.Next() % 60, TimeSpan.FromHours(1));
        if (type == typeof(DateTime)) return new DateTime(2026, 11, 23, 10, 0, counter.Next() % 60, DateTimeKind.Utc);
        if (type == typeof(TimeSpan)) return TimeSpan.FromMilliseconds(1500 + counter.Next());
        if (type == typeof(Uri)) return new Uri($"http://127.0.0.1:9110/{counter.Next()}");
        if (type == typeof(SessionId)) return SessionId.Parse($"sample-session-{counter.Next()}");
        if (type == typeof(TaskId)) return TaskId.Parse($"sample-task-{counter.Next()}");
        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue(values.Length - 1)!;
        }
        if (depth > MaxDepth)
            throw new InvalidOperationException($"{type} nests deeper than {MaxDepth}: give the sample builder a rule for it.");
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            var array = Array.CreateInstance(element, 2);
            array.SetValue(Value(element, name, depth + 1, counter), 0);
            array.SetValue(Value(element, name, depth + 1, counter), 1);
            return array;
        }
        if (type.IsGenericType && Dictionary(type, name, depth, counter) is { } dictionary)
            return dictionary;
        if (type.IsGenericType && Sequence(type, name, depth, counter) is { } sequence)
            return sequence;
        return Record(type, depth, counter);
    }

    private static object Record(Type type, int depth, Counter counter)
    {
        var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .Where(c => !(c.GetParameters() is [var only] && only.ParameterType == type)) // a record's copy constructor
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"{type} has no public constructor to build a sample with.");
        var arguments = constructor.GetParameters().Select(p => Value(p.ParameterType, p.Name ?? "value", depth + 1, counter)).ToArray();
        return constructor.Invoke(arguments);
    }

    private static object? Sequence(Type type, string name, int depth, Counter counter)
    {
        var definition = type.GetGenericTypeDefinition();
        if (type.GetGenericArguments() is not [var element])
            return null;
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        // A recursive record (a tree node holding its children) ends with an empty list.
        if (depth + 1 < MaxDepth)
        {
            list.Add(Value(element, name, depth + 1, counter));
            list.Add(Value(element, name, depth + 1, counter));
        }
        if (type.IsAssignableFrom(list.GetType()))
            return list;
        if (definition == typeof(ImmutableArray<>))
            return Invoke(typeof(ImmutableArray), nameof(ImmutableArray.CreateRange), element, list);
        if (definition == typeof(ImmutableList<>) || definition == typeof(IImmutableList<>))
            return Invoke(typeof(ImmutableList), nameof(ImmutableList.CreateRange), element, list);
        if (definition == typeof(ImmutableHashSet<>) || definition == typeof(IImmutableSet<>))
            return Invoke(typeof(ImmutableHashSet), nameof(ImmutableHashSet.CreateRange), element, list);
        if (definition == typeof(HashSet<>) || definition == typeof(ISet<>) || definition == typeof(IReadOnlySet<>))
            return Activator.CreateInstance(typeof(HashSet<>).MakeGenericType(element), list);
        return null;
    }

    private static object? Dictionary(Type type, string name, int depth, Counter counter)
    {
        if (type.GetGenericArguments() is not [var key, var value])
            return null;
        var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(key, value))!;
        for (var i = 0; i < 2; i++)
            dictionary.Add(Value(key, name + "-key", depth + 1, counter), Value(value, name, depth + 1, counter));
        if (type.IsAssignableFrom(dictionary.GetType()))
            return dictionary;
        var definition = type.GetGenericTypeDefinition();
        if (definition == typeof(ImmutableDictionary<,>) || definition == typeof(IImmutableDictionary<,>))
        {
            var create = typeof(ImmutableDictionary).GetMethods()
                .Single(m => m.Name == nameof(ImmutableDictionary.CreateRange) && m.GetParameters().Length == 1)
                .MakeGenericMethod(key, value);
            return create.Invoke(null, [dictionary]);
        }
        return null;
    }

    private static object Invoke(Type factory, string method, Type element, IList items) =>
        factory.GetMethods()
            .Single(m => m.Name == method && m.GetParameters() is [var p] && p.ParameterType.IsGenericType
                         && p.ParameterType.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            .MakeGenericMethod(element)
            .Invoke(null, [items])!;
}
