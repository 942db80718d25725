namespace Clovers.Monitor.Server.State;

/// <summary>
/// One step of the state database schema. Applied once, inside its own transaction, and recorded
/// in <c>schema_migrations</c>. Once released, a migration is never edited: a change is a new one.
/// </summary>
/// <param name="Version">Position in the ordered list, starting at 1 with no gaps.</param>
/// <param name="Name">Short description, stored next to the version.</param>
/// <param name="Sql">Statements run in the migration's transaction.</param>
public sealed record Migration(int Version, string Name, string Sql);
