using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Auth;
using Clovers.Monitor.Shared.Live;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clovers.Monitor.Client.Spectra;

/// <summary>Spectra pushes from the monitor hub while a page needs them.</summary>
public interface ISpectraFeed : IAsyncDisposable
{
    /// <summary>Connects (retrying in the background) and calls <paramref name="onUpdate"/> with every push until disposed.</summary>
    Task StartAsync(Func<SpectraUpdate, Task> onUpdate, CancellationToken cancellationToken);
}

/// <summary>
/// A hub connection of the Spectra page's own, subscribed to spectra only. Histograms are
/// kilobytes a second, so they travel only to a page that shows them, and only while it does:
/// the page's connection comes and goes with it, leaving the shared live connection untouched.
/// </summary>
public sealed class SpectraHubFeed : ISpectraFeed
{
    private readonly HubConnection _connection;
    private readonly ILogger<SpectraHubFeed> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Func<SpectraUpdate, Task>? _onUpdate;
    private Task _connectLoop = Task.CompletedTask;

    public SpectraHubFeed(HttpClient http, ILogger<SpectraHubFeed> logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(http.BaseAddress);
        _logger = logger;
        _connection = new HubConnectionBuilder()
            // The negotiate POST carries the session cookie, so it needs the cross-site request header too.
            .WithUrl(ApiPaths.Resolve(http.BaseAddress, MonitorHubContract.Path), options => options.Headers[CsrfHeader.Name] = CsrfHeader.Value)
            .WithAutomaticReconnect(new CappedRetryPolicy())
            .AddJsonProtocol(options => options.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default))
            .Build();
        _connection.On<SpectraUpdate>(nameof(IMonitorClient.SpectraUpdated), update => _onUpdate?.Invoke(update) ?? Task.CompletedTask);

        // The hub sends agent and alarm changes to every connection; this one leaves them to the live service.
        _connection.On<IReadOnlyList<AgentInfo>>(nameof(IMonitorClient.AgentsUpdated), static _ => { });
        _connection.On<IReadOnlyList<AlarmView>>(nameof(IMonitorClient.AlarmsUpdated), static _ => { });
        _connection.Reconnected += _ => _connection.InvokeAsync(MonitorHubContract.SubscribeSpectra, _stopping.Token);
    }

    public Task StartAsync(Func<SpectraUpdate, Task> onUpdate, CancellationToken cancellationToken)
    {
        _onUpdate = onUpdate;
        _connectLoop = ConnectLoopAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await _connectLoop;
        }
        catch (OperationCanceledException)
        {
        }

        await _connection.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task ConnectLoopAsync(CancellationToken cancellationToken)
    {
        var policy = new CappedRetryPolicy();
        for (var attempt = 0L; !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await _connection.StartAsync(cancellationToken);
                await _connection.InvokeAsync(MonitorHubContract.SubscribeSpectra, cancellationToken);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                _logger.LogDebug(exception, "Spectra feed could not connect (attempt {Attempt})", attempt + 1);
                var delay = policy.DelayFor(attempt);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }
}

/// <summary>Makes a feed that its caller owns and disposes (a transient from the root container would be kept until the app ends).</summary>
public interface ISpectraFeedFactory
{
    ISpectraFeed Create();
}

public sealed class SpectraHubFeedFactory(HttpClient http, ILoggerFactory loggers) : ISpectraFeedFactory
{
    public ISpectraFeed Create() => new SpectraHubFeed(http, loggers.CreateLogger<SpectraHubFeed>());
}

public static class SpectraFeedRegistration
{
    public static IServiceCollection AddSpectraFeed(this IServiceCollection services) =>
        services.AddSingleton<ISpectraFeedFactory, SpectraHubFeedFactory>();
}
