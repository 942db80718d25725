using Clovers.Monitor.Client.Alarms;
using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Components;

namespace Clovers.Monitor.Client.Pages;

/// <summary>What an operator may do to an alarm from the list.</summary>
public enum AlarmActionKind
{
    Acknowledge,
    Shelve,
    Unshelve,
}

/// <summary>
/// The alarm list, live from the hub, with acknowledge, shelve and unshelve (each with a comment
/// for the record), and the recorded history from the REST API.
/// </summary>
public sealed partial class Alarms : ComponentBase, IAsyncDisposable
{
    public const int HistoryLimit = 500;

    public const double MaxShelveHours = 72;

    private const string DefaultRange = "24h";

    private static readonly (string Key, string Label, TimeSpan Span)[] Ranges =
    [
        ("1h", "last hour", TimeSpan.FromHours(1)),
        ("6h", "last 6 hours", TimeSpan.FromHours(6)),
        ("24h", "last 24 hours", TimeSpan.FromHours(24)),
        ("7d", "last 7 days", TimeSpan.FromDays(7)),
        ("30d", "last 30 days", TimeSpan.FromDays(30)),
    ];

    private readonly CancellationTokenSource _disposing = new();
    private IDisposable? _subscription;
    private IDisposable? _sessionSubscription;
    private AlarmApi _api = null!;

    private PendingAction? _pending;
    private string _comment = "";
    private double _hours = 8;
    private string? _validation;
    private bool _busy;
    private string? _error;
    private string? _message;

    private string _range = DefaultRange;
    private string _ruleFilter = "";
    private string _severityFilter = "";
    private IReadOnlyList<AlarmHistoryEntry> _history = [];
    private bool _historyLoading;
    private string? _historyError;

    [Inject]
    public required ILiveData LiveData { get; init; }

    [Inject]
    public required HttpClient Http { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject]
    public required UserSession Session { get; init; }

    /// <summary>Acknowledge, shelve and unshelve are for shifters and above (the server checks too).</summary>
    private bool CanOperate => Session.Has(MonitorRoles.Shifter);

    private string? OperateHint => Session.MissingRoleHint(MonitorRoles.Shifter, "act on alarms");

    private IReadOnlyList<AlarmView> ActiveAlarms => AlarmDisplay.Ordered(LiveData.Alarms.Values);

    private DateTimeOffset ServerNow => Time.GetUtcNow() + LiveData.ServerClockOffset;

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        _sessionSubscription?.Dispose();
        await _disposing.CancelAsync();
        _disposing.Dispose();
    }

    protected override void OnInitialized()
    {
        _api = new AlarmApi(Http);
        _subscription = LiveData.SubscribeChanged(() => InvokeAsync(StateHasChanged));
        _sessionSubscription = Session.SubscribeChanged(() => InvokeAsync(StateHasChanged));
    }

    protected override Task OnInitializedAsync() => LoadHistoryAsync();

    private static string ActionTitle(AlarmActionKind kind) => kind switch
    {
        AlarmActionKind.Acknowledge => "Acknowledge",
        AlarmActionKind.Shelve => "Shelve",
        _ => "Unshelve",
    };

    private void Open(AlarmActionKind kind, AlarmView alarm)
    {
        _pending = new PendingAction(kind, alarm.RuleId);
        _comment = "";
        _validation = null;
        _error = null;
        _message = null;
    }

    private void Cancel()
    {
        _pending = null;
        _validation = null;
    }

    private async Task SubmitAsync()
    {
        if (_pending is not { } pending || _busy || _disposing.IsCancellationRequested)
        {
            return;
        }

        var comment = _comment.Trim();
        if (comment.Length == 0)
        {
            _validation = "A comment is required: it goes into the alarm history.";
            return;
        }

        if (pending.Kind == AlarmActionKind.Shelve && !(_hours > 0 && _hours <= MaxShelveHours))
        {
            _validation = $"Shelve for more than 0 and at most {MaxShelveHours} hours.";
            return;
        }

        _validation = null;
        _busy = true;
        try
        {
            var token = _disposing.Token;
            var result = pending.Kind switch
            {
                AlarmActionKind.Acknowledge => await _api.AcknowledgeAsync(pending.RuleId, comment, token),
                AlarmActionKind.Shelve => await _api.ShelveAsync(pending.RuleId, comment, _hours, token),
                _ => await _api.UnshelveAsync(pending.RuleId, comment, token),
            };
            if (result.Succeeded)
            {
                _pending = null;
                _error = null;
                _message = $"{ActionTitle(pending.Kind)}: {pending.RuleId}";
            }
            else
            {
                _error = $"{ActionTitle(pending.Kind)} {pending.RuleId} failed: {result.Error}";
            }
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            _busy = false;
        }

        if (_pending is null)
        {
            await LoadHistoryAsync();
        }
    }

    private async Task LoadHistoryAsync()
    {
        if (_disposing.IsCancellationRequested)
        {
            return;
        }

        var span = Ranges.FirstOrDefault(r => r.Key == _range).Span;
        if (span == TimeSpan.Zero)
        {
            span = TimeSpan.FromHours(24);
        }

        AlarmSeverity? severity = _severityFilter switch
        {
            "critical" => AlarmSeverity.Critical,
            "major" => AlarmSeverity.Major,
            "warning" => AlarmSeverity.Warning,
            _ => null,
        };
        var to = ServerNow;
        var query = new AlarmHistoryQuery(to - span, to, _ruleFilter, severity, HistoryLimit);
        _historyLoading = true;
        _historyError = null;
        try
        {
            _history = await _api.HistoryAsync(query, _disposing.Token);
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or NotSupportedException)
        {
            _history = [];
            _historyError = "Loading the alarm history failed: " + ex.Message;
        }
        finally
        {
            _historyLoading = false;
        }
    }

    private sealed record PendingAction(AlarmActionKind Kind, string RuleId);
}
