using Clovers.Monitor.Server.Alarms.States;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Notifications;

/// <summary>
/// Turns queued transitions into outbox rows through the <see cref="NotificationPlanner"/>, and
/// every second closes group windows and escalates. At stop it drains the queue and writes open
/// groups, so a restart loses nothing that reached the sink.
/// </summary>
public sealed class NotificationWriter : BackgroundService
{
    private static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(1);

    private readonly NotificationSink _sink;
    private readonly NotificationOutbox _outbox;
    private readonly DeliverySignal _signal;
    private readonly TimeProvider _time;
    private readonly ILogger<NotificationWriter> _logger;
    private readonly NotificationPlanner _planner;
    private readonly Lock _gate = new();

    public NotificationWriter(
        NotificationSink sink,
        NotificationOutbox outbox,
        DeliverySignal signal,
        IOptions<NotificationOptions> options,
        TimeProvider time,
        ILogger<NotificationWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sink = sink;
        _outbox = outbox;
        _signal = signal;
        _time = time;
        _logger = logger;
        _planner = new NotificationPlanner(options.Value);
    }

    /// <summary>Plans one transition and writes what it yields.</summary>
    internal async Task HandleAsync(AlarmTransition transition, CancellationToken cancellationToken)
    {
        IReadOnlyList<OutboxMessage> messages;
        lock (_gate)
        {
            messages = _planner.Accept(transition, _time.GetUtcNow());
        }

        await WriteAsync(messages, cancellationToken);
    }

    /// <summary>Closes due group windows and escalates unacknowledged alarms.</summary>
    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<OutboxMessage> messages;
        lock (_gate)
        {
            messages = _planner.Due(_time.GetUtcNow());
        }

        await WriteAsync(messages, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(ReadLoopAsync(stoppingToken), TickLoopAsync(stoppingToken));
        }
        finally
        {
            await DrainAsync();
        }
    }

    private async Task ReadLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _sink.Reader.WaitToReadAsync(stoppingToken))
            {
                while (_sink.Reader.TryRead(out var transition))
                {
                    await GuardAsync(() => HandleAsync(transition, stoppingToken), "write notifications for a transition");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task TickLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TickPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await GuardAsync(() => TickAsync(stoppingToken), "close groups and escalate");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DrainAsync()
    {
        // The stop token is already cancelled: these last writes must not be.
        while (_sink.Reader.TryRead(out var transition))
        {
            await GuardAsync(() => HandleAsync(transition, CancellationToken.None), "write notifications at stop");
        }

        IReadOnlyList<OutboxMessage> open;
        lock (_gate)
        {
            open = _planner.FlushAll();
        }

        await GuardAsync(() => WriteAsync(open, CancellationToken.None), "write open groups at stop");
    }

    private async Task WriteAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }

        await _outbox.AddAsync(messages, cancellationToken);
        _signal.Notify();
    }

    private async Task GuardAsync(Func<Task> work, string what)
    {
        try
        {
            await work();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.LogError(exception, "Notifications: could not {What}", what);
        }
    }
}
