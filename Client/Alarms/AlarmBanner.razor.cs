using Clovers.Monitor.Client.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;

namespace Clovers.Monitor.Client.Alarms;

/// <summary>
/// The alarm strip on every page: counts by severity, the worst alarm, a colour for the worst
/// level, and an optional tone for each new alarm that needs acknowledging.
/// </summary>
public sealed partial class AlarmBanner : ComponentBase, IAsyncDisposable
{
    public const string ToneModulePath = "./js/alarm-tone.js";

    // Alarm ids already announced, so that a re-render never beeps twice for one alarm.
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);
    private IDisposable? _subscription;
    private IJSObjectReference? _tone;
    private bool _toneEnabled;
    private bool _disposed;

    [Inject]
    public required ILiveData LiveData { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject]
    public required ILogger<AlarmBanner> Logger { get; init; }

    private AlarmSummary Summary => AlarmSummary.From(LiveData.Alarms.Values);

    private DateTimeOffset Now => Time.GetUtcNow() + LiveData.ServerClockOffset;

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        _subscription?.Dispose();
        if (_tone is { } tone)
        {
            _tone = null;
            try
            {
                await tone.InvokeVoidAsync("dispose");
                await tone.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The page is going away with its audio context.
            }
        }
    }

    protected override void OnInitialized()
    {
        // Alarms present when the banner appears are not news; only later ones sound.
        MarkAnnounced();
        _subscription = LiveData.SubscribeChanged(() => InvokeAsync(OnChangedAsync));
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        try
        {
            _tone = await JS.InvokeAsync<IJSObjectReference>("import", ToneModulePath);
            _toneEnabled = await _tone.InvokeAsync<bool>("isEnabled");
        }
        catch (JSException ex)
        {
            Logger.LogWarning(ex, "Loading the alarm tone failed; the banner stays silent");
            return;
        }

        if (_disposed)
        {
            await DisposeAsync();
            return;
        }

        if (_toneEnabled)
        {
            StateHasChanged();
        }
    }

    private async Task OnChangedAsync()
    {
        if (MarkAnnounced() && _toneEnabled && _tone is { } tone)
        {
            try
            {
                await tone.InvokeVoidAsync("beep");
            }
            catch (JSException ex)
            {
                // Browsers refuse audio until the page was clicked once; the colour still tells.
                Logger.LogWarning(ex, "Sounding the alarm tone failed");
            }
        }

        StateHasChanged();
    }

    /// <summary>Remembers every unacknowledged alarm; true when one of them is new.</summary>
    private bool MarkAnnounced()
    {
        // A cleared alarm comes back under a new id, so forgetting gone ones keeps the set small.
        var present = LiveData.Alarms.Values.Select(static alarm => alarm.AlarmId).ToHashSet(StringComparer.Ordinal);
        _announced.IntersectWith(present);
        var any = false;
        foreach (var alarm in LiveData.Alarms.Values)
        {
            if (AlarmDisplay.IsUnacknowledged(alarm.State))
            {
                any |= _announced.Add(alarm.AlarmId);
            }
        }

        return any;
    }

    private async Task ToggleToneAsync()
    {
        _toneEnabled = !_toneEnabled;
        if (_tone is { } tone)
        {
            try
            {
                await tone.InvokeVoidAsync("setEnabled", _toneEnabled);
            }
            catch (JSException ex)
            {
                Logger.LogWarning(ex, "Saving the alarm tone choice failed");
            }
        }
    }
}
