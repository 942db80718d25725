using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Hosting;

namespace Clovers.Monitor.Server.Notifications;

public static class NotificationServiceCollectionExtensions
{
    private static readonly TimeSpan WebhookTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Alarm notifications: an <see cref="IAlarmTransitionSink"/> feeding a durable outbox in
    /// <c>state.db</c>, e-mail through MailKit and webhooks. Call after <c>AddState()</c> and
    /// <c>AddAlarms()</c>; map the status endpoint with <see cref="NotificationEndpoints.MapNotificationsApi"/>.
    /// </summary>
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<NotificationOptions, NotificationOptionsValidator>(NotificationOptions.SectionName);
        builder.Services.AddHttpClient(WebhookSender.HttpClientName, client => client.Timeout = WebhookTimeout);
        builder.Services.AddSingleton<NotificationOutbox>();
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddSingleton<EmailSender>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<NotificationSink>();
        builder.Services.AddSingleton<IAlarmTransitionSink>(sp => sp.GetRequiredService<NotificationSink>());
        builder.Services.AddHostedService<NotificationWriter>();
        builder.Services.AddHostedService<DeliveryWorker>();
        return builder;
    }
}
