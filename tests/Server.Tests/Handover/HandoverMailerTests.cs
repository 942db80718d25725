using Clovers.Monitor.Server.Handover;
using Clovers.Monitor.Server.Notifications;
using Clovers.Monitor.Server.Tests.Integration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Handover;

/// <summary>The shift-end e-mail goes into the notification outbox, one message per recipient; nothing is sent directly.</summary>
public sealed class HandoverMailerTests(HandoverMailerTests.MailingServer server) : IClassFixture<HandoverMailerTests.MailingServer>
{
    [Fact]
    public async Task Enqueue_AShift_PutsOnePendingEmailPerRecipientIntoTheOutbox()
    {
        var from = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-1);

        await server.Services.GetRequiredService<HandoverMailer>().EnqueueAsync(from, from.AddHours(8), CancellationToken.None);

        var rows = await server.Services.GetRequiredService<NotificationOutbox>().ListAsync(null, 100, CancellationToken.None);
        var handovers = rows.Where(r => r.GroupKey == HandoverMailer.GroupKey).ToList();
        Assert.Equal(["night@example.org", "shift@example.org"], handovers.Select(r => r.Target).Order(StringComparer.Ordinal));
        Assert.All(handovers, r => Assert.Equal(NotificationChannels.Email, r.Channel));
        Assert.All(handovers, r => Assert.StartsWith("CLOVERS shift handover", r.Subject, StringComparison.Ordinal));
    }

    /// <summary>A Server with handover recipients but the shift-end timer off, so only the test enqueues.</summary>
    public sealed class MailingServer : MonitorServerFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Handover:EmailRecipients:0", "shift@example.org");
            builder.UseSetting("Handover:EmailRecipients:1", "night@example.org");
        }
    }
}
