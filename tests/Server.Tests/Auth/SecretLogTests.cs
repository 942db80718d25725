using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Tests.Alarms.Api;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Clovers.Monitor.Server.Tests.Auth;

/// <summary>The whole server with every kind of secret configured, recording everything logged at every level.</summary>
public sealed class SecretConfiguredServerFactory : MonitorServerFactory
{
    public const string SmtpPassword = "smtp-secret-Qx81vLr2";
    public const string MqttPassword = "mqtt-secret-Zp47wKd9";
    public const string InfluxToken = "influx-secret-Hy62mNc5";

    public RecordingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Notifications:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Notifications:Smtp:Port", "1");
        builder.UseSetting("Notifications:Smtp:From", "monitor@clovers.invalid");
        builder.UseSetting("Notifications:Smtp:Username", "monitor");
        builder.UseSetting("Notifications:Smtp:Password", SmtpPassword);
        builder.UseSetting("Mqtt:Username", "clovers-server");
        builder.UseSetting("Mqtt:Password", MqttPassword);
        builder.UseSetting("Storage:Influx:Token", InfluxToken);
        builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(Logs);
            logging.AddFilter<RecordingLoggerProvider>(null, LogLevel.Trace);
        });
    }
}

public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Recorder(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"scope {category}: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Bounded by the test's short life; every argument is kept too, not only the message.
            var arguments = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {arguments} {exception}");
        }
    }
}

public sealed class SecretLogTests(SecretConfiguredServerFactory factory) : IClassFixture<SecretConfiguredServerFactory>
{
    [Fact]
    public async Task Logs_AfterLoginsAndTokenUse_HoldNoSecret()
    {
        var account = await factory.CreateUserAsync(AuthPolicies.Expert);
        using var session = await factory.LoginAsync(account.Name, account.Password);
        using var wrong = factory.CreateClient();
        wrong.DefaultRequestHeaders.Add(CsrfHeader.Name, CsrfHeader.Value);
        using var failed = await wrong.PostAsJsonAsync(AuthRoutes.Login, new LoginRequest(account.Name, account.Password + "x"), AuthJsonContext.Default.LoginRequest);
        using var created = await session.PostAsJsonAsync(AuthRoutes.Tokens, new CreateTokenRequest("secret test"), AuthJsonContext.Default.CreateTokenRequest);
        var token = (await created.Content.ReadFromJsonAsync(AuthJsonContext.Default.ApiTokenCreated))!;
        using var script = factory.CreateClient();
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        await script.PutRulesAsync(AlarmApiClient.Silence("secret.rule"));
        await script.GetStringAsync(ApiRoutes.Channels);
        (await session.DeleteAsync(AuthRoutes.Token(token.Info.Id))).EnsureSuccessStatusCode();
        using var revoked = await script.PutRulesAsync(AlarmApiClient.Silence("secret.rule"));

        var logs = factory.Logs.Text;

        Assert.NotEmpty(logs);
        Assert.All(
            [SecretConfiguredServerFactory.SmtpPassword, SecretConfiguredServerFactory.MqttPassword, SecretConfiguredServerFactory.InfluxToken, account.Password, token.Token],
            secret => Assert.DoesNotContain(secret, logs, StringComparison.Ordinal));
    }
}
