using Clovers.Monitor.Server.Notifications;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Handover;

/// <summary>
/// When <c>Handover:EmailAtShiftEnd</c> is on: at the end of each shift, builds that shift's report
/// and puts one e-mail per recipient into the notification outbox, which delivers it like alarm
/// e-mails (retries, status in <c>/api/notifications</c>). A shift that ended while the Server was
/// down is not sent afterwards.
/// </summary>
public sealed class HandoverMailer(
    IOptions<HandoverOptions> options,
    HandoverReportBuilder builder,
    NotificationOutbox outbox,
    DeliverySignal signal,
    TimeProvider time,
    ILogger<HandoverMailer> logger) : BackgroundService
{
    public const string GroupKey = "shift-handover";

    /// <summary>Puts the report of [from, to) into the outbox for every recipient.</summary>
    public async Task EnqueueAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var report = await builder.BuildAsync(from, to, cancellationToken);
        var subject = HandoverDocument.Title(report);
        var body = HandoverDocument.ToMarkdown(report);
        var messages = options.Value.EmailRecipients
            .Select(address => new OutboxMessage(NotificationChannels.Email, address, subject, body, GroupKey, []))
            .ToList();
        await outbox.AddAsync(messages, cancellationToken);
        signal.Notify();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.EmailAtShiftEnd)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var shift = builder.CurrentShift();
            try
            {
                var wait = shift.To - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stoppingToken);
                }

                await EnqueueAsync(shift.From, shift.To, stoppingToken);
                logger.LogInformation("Shift handover {From:u} – {To:u} queued for {Count} recipients", shift.From, shift.To, options.Value.EmailRecipients.Count);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Could not queue the shift handover of {From:u} – {To:u}; the next shift's will be tried", shift.From, shift.To);
            }

            // Past the boundary now, so the next round waits for the following shift.
            if (time.GetUtcNow() < shift.To)
            {
                await Task.Delay(shift.To - time.GetUtcNow(), time, stoppingToken).ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }
    }
}
