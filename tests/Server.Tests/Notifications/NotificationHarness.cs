using System.Net;
using System.Net.Sockets;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Notifications;
using Clovers.Monitor.Server.State;
using Clovers.Monitor.Server.Tests.State;
using Clovers.Monitor.Shared.Alarms;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Tests.Notifications;

/// <summary>
/// Outbox, writer and delivery worker on a temporary <c>state.db</c> with fake time. Each call of
/// <see cref="StartAsync"/> builds new instances on the same file, as a restarted Server would.
/// </summary>
internal sealed class NotificationHarness : IDisposable
{
    private readonly TemporaryStateDatabase _temporary = new();

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Time => _temporary.Time;

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static NotificationOptions EmailOptions(int smtpPort, params string[] roster) => new()
    {
        Smtp = new SmtpSettings { Host = "127.0.0.1", Port = smtpPort, UseStartTls = false, From = "clovers@example.org" },
        Roster = [.. (roster.Length == 0 ? ["shifter@example.org"] : roster).Select((email, i) => new OnCallEntry { Name = $"person {i}", Email = email })],
        GroupWindowSeconds = 30,
        EscalateAfterMinutes = 15,
    };

    public static AlarmTransition Activation(string ruleId, AlarmSeverity severity = AlarmSeverity.Major, string? groupKey = null, bool flapping = false, DateTimeOffset? at = null, string? alarmId = null) =>
        new(alarmId ?? $"{ruleId}@2026-03-02T08:00:00Z", ruleId, AlarmState.Normal, AlarmState.ActiveUnacknowledged, at ?? new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), AlarmTransition.System, 42.5, null)
        {
            RuleName = $"Rule {ruleId}",
            Severity = severity,
            GroupKey = groupKey,
            Flapping = flapping,
            ConditionActive = true,
        };

    public async Task<Parts> StartAsync(NotificationOptions options)
    {
        var database = _temporary.Open();
        await database.MigrateAsync();
        var wrapped = Options.Create(options);
        var outbox = new NotificationOutbox(database, Time);
        var signal = new DeliverySignal();
        var writer = new NotificationWriter(new NotificationSink(NullLogger<NotificationSink>.Instance), outbox, signal, wrapped, Time, NullLogger<NotificationWriter>.Instance);
        var worker = new DeliveryWorker(
            outbox,
            new EmailSender(wrapped),
            new WebhookSender(new PlainHttpClientFactory(), wrapped),
            signal,
            wrapped,
            Time,
            NullLogger<DeliveryWorker>.Instance);
        return new Parts(outbox, writer, worker);
    }

    public void Dispose() => _temporary.Dispose();

    internal sealed record Parts(NotificationOutbox Outbox, NotificationWriter Writer, DeliveryWorker Worker)
    {
        public async Task<IReadOnlyList<NotificationDelivery>> RowsAsync(string? status = null) =>
            await Outbox.ListAsync(status, 1000, CancellationToken.None);
    }

    private sealed class PlainHttpClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new() { Timeout = TimeSpan.FromSeconds(10) };
    }
}
