using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Clovers.Monitor.Server.Notifications;

/// <summary>Sends one plain-text e-mail through the configured SMTP relay, one connection per message.</summary>
public sealed class EmailSender(IOptions<NotificationOptions> options)
{
    private const int TimeoutMs = 15_000;

    public async Task SendAsync(string to, string subject, string body, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        if (smtp.Host is not { Length: > 0 } host || smtp.From is not { Length: > 0 } from)
        {
            throw new InvalidOperationException("Notifications:Smtp:Host or From is not set.");
        }

        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };

        using var client = new SmtpClient { Timeout = TimeoutMs };
        await client.ConnectAsync(host, smtp.Port, smtp.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

/// <summary>POSTs a prepared JSON body to a configured webhook, found by name (rows never hold the URL).</summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<NotificationOptions> options)
{
    public const string HttpClientName = "notifications";

    public async Task SendAsync(string webhookName, string body, CancellationToken cancellationToken)
    {
        var webhook = options.Value.Webhooks.FirstOrDefault(w => w.Name == webhookName)
            ?? throw new InvalidOperationException($"No webhook named '{webhookName}' is configured any more.");
        var client = clients.CreateClient(HttpClientName);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(webhook.Url), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The status only: the URL may carry a token.
            throw new HttpRequestException($"Webhook '{webhookName}' answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
        }
    }
}
