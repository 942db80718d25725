using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Notifications;

/// <summary>
/// Sends due outbox rows: marks each sent, or counts the attempt and retries it with exponential
/// backoff up to <see cref="NotificationOptions.MaxRetryDelaySeconds"/>; after
/// <see cref="NotificationOptions.MaxAttempts"/> the row is failed. Rows stay in SQLite throughout.
/// </summary>
public sealed class DeliveryWorker : BackgroundService
{
    internal static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(5);
    private const int BatchSize = 50;

    private readonly NotificationOutbox _outbox;
    private readonly EmailSender _email;
    private readonly WebhookSender _webhooks;
    private readonly DeliverySignal _signal;
    private readonly TimeProvider _time;
    private readonly ILogger<DeliveryWorker> _logger;
    private readonly NotificationOptions _options;
    private long _failedAttempts;

    public DeliveryWorker(
        NotificationOutbox outbox,
        EmailSender email,
        WebhookSender webhooks,
        DeliverySignal signal,
        IOptions<NotificationOptions> options,
        TimeProvider time,
        ILogger<DeliveryWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _outbox = outbox;
        _email = email;
        _webhooks = webhooks;
        _signal = signal;
        _time = time;
        _logger = logger;
        _options = options.Value;
    }

    /// <summary>Failed attempts since start (each is also in the row's <c>last_error</c>).</summary>
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1: 5 s, 10 s, 20 s… up to the cap.</summary>
    internal static TimeSpan RetryDelay(int attempts, TimeSpan cap)
    {
        var seconds = FirstRetryDelay.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        return seconds >= cap.TotalSeconds ? cap : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>One pass over the due rows; returns how many were sent.</summary>
    internal async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var row in await _outbox.DueAsync(_time.GetUtcNow(), BatchSize, cancellationToken))
        {
            var attempts = row.Attempts + 1;
            try
            {
                if (row.Channel == NotificationChannels.Email)
                {
                    await _email.SendAsync(row.Target, row.Subject, row.Body, cancellationToken);
                }
                else
                {
                    await _webhooks.SendAsync(row.Target, row.Body, cancellationToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failedAttempts);
                var retryAt = attempts >= _options.MaxAttempts
                    ? (DateTimeOffset?)null
                    : _time.GetUtcNow() + RetryDelay(attempts, TimeSpan.FromSeconds(_options.MaxRetryDelaySeconds));
                _logger.LogWarning(
                    "Notification {Id} ({Channel} to {Target}) failed, attempt {Attempts}: {Error}; {Next}",
                    row.Id, row.Channel, row.Target, attempts, exception.Message, retryAt is null ? "giving up" : $"retry at {retryAt:O}");
                await _outbox.MarkAttemptFailedAsync(row.Id, attempts, retryAt, $"{exception.GetType().Name}: {exception.Message}", cancellationToken);
                continue;
            }

            await _outbox.MarkSentAsync(row.Id, attempts, _time.GetUtcNow(), cancellationToken);
            sent++;
        }

        return sent;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(_options.PollSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await DeliverDueAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    _logger.LogError(exception, "Notification delivery pass failed");
                }

                await _signal.WaitAsync(poll, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
