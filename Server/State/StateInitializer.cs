using System.Globalization;
using System.Reflection;

namespace Clovers.Monitor.Server.State;

/// <summary>
/// Brings <c>state.db</c> to the current schema before anything else uses it, so a newer or broken
/// file stops the start rather than a later request; then notes the start, and at a clean stop
/// the stop, in <c>server_events</c>. A start with no matching stop before it was a crash.
/// </summary>
internal sealed class StateInitializer(StateDatabase database, ServerEventLog events, ILogger<StateInitializer> logger) : IHostedService
{
    private static readonly string Version =
        typeof(StateInitializer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await database.MigrateAsync(cancellationToken);
        logger.LogInformation(
            "State database {Path} at schema version {Version} ({Applied} migrations applied now)",
            database.DatabasePath, database.CurrentVersion, applied);
        await events.RecordAsync(
            ServerEventKinds.Started,
            string.Create(CultureInfo.InvariantCulture, $"version {Version}, process {Environment.ProcessId}, schema {database.CurrentVersion}"),
            cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await events.RecordAsync(
                ServerEventKinds.Stopped,
                string.Create(CultureInfo.InvariantCulture, $"process {Environment.ProcessId}"),
                cancellationToken);
        }
        catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or OperationCanceledException)
        {
            // The stop goes on; a missing row only makes this stop look like a crash.
            logger.LogWarning(exception, "Could not note the stop in the state database");
        }
    }
}
