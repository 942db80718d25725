using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Notifications;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Server.Tests.State;
using Clovers.Monitor.Shared.Alarms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Notifications;

public sealed class NotificationHostingTests
{
    [Fact]
    public async Task Server_TransitionReachesSink_WebhookReceivesIt()
    {
        await using var listener = new WebhookTestListener(NotificationHarness.FreeTcpPort());
        using var factory = new NotifyingServerFactory(listener.Url);
        _ = factory.Server;

        var sinks = factory.Services.GetServices<IAlarmTransitionSink>();
        var sink = Assert.Single(sinks.OfType<NotificationSink>());
        sink.Publish(NotificationHarness.Activation("hv.pmt3.tripped", AlarmSeverity.Critical));

        var body = (await listener.NextAsync()).RootElement;
        Assert.Equal("hv.pmt3.tripped", body.GetProperty("ruleId").GetString());
    }

    [Fact]
    public async Task MapNotificationsApi_Rows_ListedWithoutBodies()
    {
        using var temporary = new TemporaryStateDatabase();
        var database = temporary.Open();
        await database.MigrateAsync();
        var outbox = new NotificationOutbox(database, temporary.Time);
        await outbox.AddAsync([new OutboxMessage(NotificationChannels.Webhook, "control-room", "subject", "secret body", null, ["a@1"])], CancellationToken.None);
        await using var app = await StartApiAsync(outbox);
        using var client = app.GetTestClient();

        var rows = await client.GetFromJsonAsync<List<NotificationDelivery>>(new Uri("/api/notifications?status=pending&limit=10", UriKind.Relative));
        var text = await client.GetStringAsync(new Uri("/api/notifications", UriKind.Relative));

        Assert.Equal("control-room", Assert.Single(rows!).Target);
        Assert.DoesNotContain("secret body", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapNotificationsApi_UnknownStatus_BadRequest()
    {
        using var temporary = new TemporaryStateDatabase();
        await using var app = await StartApiAsync(new NotificationOutbox(temporary.Open(), temporary.Time));
        using var client = app.GetTestClient();

        var response = await client.GetAsync(new Uri("/api/notifications?status=lost", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<WebApplication> StartApiAsync(NotificationOutbox outbox)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(outbox);
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.MapNotificationsApi();
        await app.StartAsync();
        return app;
    }

    private sealed class NotifyingServerFactory(string webhookUrl) : MonitorServerFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Notifications:Webhooks:0:Name", "control-room");
            builder.UseSetting("Notifications:Webhooks:0:Url", webhookUrl);
            builder.UseSetting("Notifications:PollSeconds", 0.2.ToString(CultureInfo.InvariantCulture));
        }
    }
}
