using System.Reflection;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Clovers.Monitor.Simulation.Mqtt;

/// <summary>
/// What the simulated publishers (the edge agent and the DAQ) do the same way on MQTT 5: a clean
/// session with a retained QoS 1 last will, bounded connects and publishes, a capped and jittered
/// reconnect backoff, a polite disconnect. Each runtime keeps its own loop, counters and log
/// messages, because those are what differ.
/// </summary>
internal static class MqttPublishing
{
    public const string JsonContentType = "application/json";

    /// <summary>How long a connect, publish or disconnect may take before it counts as failed.</summary>
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a stopping publisher may spend on its last messages and goodbye.</summary>
    public static readonly TimeSpan ShutdownBudget = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan s_keepAlive = TimeSpan.FromSeconds(15);

    /// <summary>The configured version, or else the version of this assembly.</summary>
    public static string Version(string? configured) =>
        !string.IsNullOrWhiteSpace(configured)
            ? configured
            : typeof(MqttPublishing).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
              ?? typeof(MqttPublishing).Assembly.GetName().Version?.ToString()
              ?? "0.0.0";

    /// <summary>
    /// Client options with a retained offline status as last will, so the broker announces the
    /// publisher gone when its connection dies without a goodbye.
    /// </summary>
    public static MqttClientOptions ClientOptions(
        string host, int port, string clientId, string? username, string? password, string willTopic, byte[] willPayload)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart()
            .WithKeepAlivePeriod(s_keepAlive)
            .WithTimeout(OperationTimeout)
            .WithWillTopic(willTopic)
            .WithWillPayload(willPayload)
            .WithWillContentType(JsonContentType)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillRetain();
        if (!string.IsNullOrEmpty(username))
        {
            builder.WithCredentials(username, password);
        }

        return builder.Build();
    }

    /// <summary>
    /// Connects within <see cref="OperationTimeout"/> (the options are built inside, so a failure
    /// to build them counts as a failed connect too), then runs <paramref name="onConnected"/>
    /// (if any) under the same timeout, its failures counting as a failed connect. Returns null on success, otherwise why it failed; a cancelled
    /// <paramref name="ct"/> is thrown, not reported.
    /// </summary>
    public static async Task<string?> TryConnectAsync(
        IMqttClient client, Func<MqttClientOptions> options, Func<CancellationToken, Task>? onConnected, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(OperationTimeout);
            var result = await client.ConnectAsync(options(), timeout.Token);
            if (result.ResultCode == MqttClientConnectResultCode.Success)
            {
                if (onConnected is not null)
                {
                    await onConnected(timeout.Token);
                }

                return null;
            }

            return $"broker refused the connection: {result.ResultCode} {result.ReasonString}".TrimEnd();
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return ex.GetBaseException().Message;
        }
    }

    /// <summary>Exponential from the minimum, capped at the maximum, with ±20 % jitter.</summary>
    public static TimeSpan Backoff(int attempt, double minSeconds, double maxSeconds)
    {
        var exponential = minSeconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        // The jitter keeps a fleet of publishers from reconnecting in lockstep after a broker restart.
        var jittered = Math.Min(maxSeconds, exponential) * (0.8 + (0.4 * Random.Shared.NextDouble()));
        return TimeSpan.FromSeconds(Math.Clamp(jittered, minSeconds, maxSeconds));
    }

    /// <summary>A QoS 1 JSON message; the caller may add retain or correlation data before building.</summary>
    public static MqttApplicationMessageBuilder JsonMessage(string topic, byte[] payload) =>
        new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithContentType(JsonContentType)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);

    /// <summary>Publishes within <see cref="OperationTimeout"/> and returns the broker's PUBACK.</summary>
    public static async Task<MqttClientPublishResult> PublishAsync(IMqttClient client, MqttApplicationMessage message, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(OperationTimeout);
        return await client.PublishAsync(message, timeout.Token);
    }

    /// <summary>Throws when the broker's PUBACK refused <paramref name="what"/> (e.g. "the reply").</summary>
    public static void EnsureAccepted(MqttClientPublishResult result, string what)
    {
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"The broker refused {what}: {result.ReasonCode} {result.ReasonString}".TrimEnd());
        }
    }

    /// <summary>Disconnects with reason "normal disconnection", so the broker does not publish the will.</summary>
    public static Task DisconnectNormallyAsync(IMqttClient client, CancellationToken ct) =>
        client.DisconnectAsync(
            new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(),
            ct);

    /// <summary>Why a connection was lost, for the log.</summary>
    public static string DisconnectReason(MqttClientDisconnectedEventArgs e) =>
        e.Exception?.GetBaseException().Message ?? $"{e.Reason} {e.ReasonString}".TrimEnd();
}
