using Akka.Actor;
using Akka.Persistence.Query;

namespace Orchestrator.Engine.Persistence;

/// <summary>The one place a reader gets the node's read journal: the query plugin at <see cref="PluginId"/> (the SQL
/// plugin's, configured beside the journal). Akka keeps one instance per plugin, so every reader shares it.</summary>
public static class ReadJournals
{
    /// <summary>The configuration path of the node's query plugin (the SQL read journal's identifier).</summary>
    public const string PluginId = "akka.persistence.query.journal.sql";

    /// <summary>The read journal of <paramref name="system"/> as <typeparamref name="TJournal"/> (the plugin's own type,
    /// or a query interface such as <see cref="IEventsByTagQuery"/>).</summary>
    public static TJournal For<TJournal>(ActorSystem system) where TJournal : IReadJournal =>
        PersistenceQuery.Get(system).ReadJournalFor<TJournal>(PluginId);
}
