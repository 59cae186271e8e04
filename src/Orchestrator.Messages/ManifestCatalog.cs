using System.Text.RegularExpressions;
using Orchestrator.Messages.Sessions;

namespace Orchestrator.Messages;

/// <summary>An explicit registry of manifest names to types. Stored or received data names a manifest, never a type: a
/// manifest missing here is an error, not a type lookup. <see cref="Contracts"/> holds the messages of this assembly;
/// a node's catalog holds them and everything else it stores or sends.</summary>
public sealed partial class ManifestCatalog
{
    private readonly Dictionary<string, Type> _typesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _namesByType = new();

    /// <summary>The messages another application exchanges with sessions: commands, replies, subscriptions.</summary>
    public static IEnumerable<MessageManifest> ContractManifests =>
    [
        .. SessionCommands.Manifests,
        .. SessionReplies.Manifests,
        .. SessionSubscriptions.Manifests,
    ];

    /// <summary>A catalog of <see cref="ContractManifests"/> only: what another application's serializer knows.</summary>
    public static ManifestCatalog Contracts { get; } = new(ContractManifests);

    /// <summary>Builds a catalog; duplicate names or types and malformed names are refused.</summary>
    public ManifestCatalog(params IEnumerable<MessageManifest>[] protocols)
    {
        foreach (var entry in protocols.SelectMany(p => p))
        {
            if (!ManifestName().IsMatch(entry.Name))
                throw new ArgumentException(
                    $"Manifest name '{entry.Name}' of {entry.Type.FullName} must look like 'task-dispatched.v1' (lower-case words, a version).");
            if (!_typesByName.TryAdd(entry.Name, entry.Type))
                throw new ArgumentException(
                    $"Manifest name '{entry.Name}' is registered twice: {_typesByName[entry.Name].FullName} and {entry.Type.FullName}.");
            if (!_namesByType.TryAdd(entry.Type, entry.Name))
                throw new ArgumentException(
                    $"{entry.Type.FullName} is registered twice: '{_namesByType[entry.Type]}' and '{entry.Name}'.");
        }
    }

    /// <summary>All registered entries.</summary>
    public IEnumerable<MessageManifest> Entries => _typesByName.Select(kv => new MessageManifest(kv.Key, kv.Value));

    /// <summary>The type a stored manifest names, if it is registered.</summary>
    public bool TryGetType(string manifest, out Type type) => _typesByName.TryGetValue(manifest, out type!);

    /// <summary>The manifest name of a registered type, if it is registered.</summary>
    public bool TryGetManifest(Type type, out string manifest) => _namesByType.TryGetValue(type, out manifest!);

    /// <summary>The manifest of <paramref name="type"/>, or its type name when the catalog does not hold it (for display).</summary>
    public string ManifestOrName(Type type) => _namesByType.GetValueOrDefault(type) ?? type.Name;

    [GeneratedRegex(@"^[a-z][a-z0-9]*(-[a-z0-9]+)*\.v[0-9]+$")]
    private static partial Regex ManifestName();
}
