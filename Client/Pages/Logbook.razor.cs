using System.Globalization;
using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Logbook;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Components;

namespace Clovers.Monitor.Client.Pages;

/// <summary>
/// The electronic logbook: entries and operators' alarm comments, newest first, with filters and
/// paging; a form to write an entry (Markdown previewed by the server, which renders it safely)
/// and to attach the history of chosen channels.
/// </summary>
public sealed partial class Logbook : ComponentBase, IDisposable
{
    public const int PageSize = 50;

    private static readonly (string Key, string Label, TimeSpan Span)[] AttachRanges =
    [
        ("1h", "last hour", TimeSpan.FromHours(1)),
        ("6h", "last 6 hours", TimeSpan.FromHours(6)),
        ("24h", "last 24 hours", TimeSpan.FromHours(24)),
        ("7d", "last 7 days", TimeSpan.FromDays(7)),
    ];

    private static readonly (string Key, string Label, TimeSpan? Span)[] FilterRanges =
    [
        ("all", "all time", null),
        ("24h", "last 24 hours", TimeSpan.FromHours(24)),
        ("7d", "last 7 days", TimeSpan.FromDays(7)),
        ("30d", "last 30 days", TimeSpan.FromDays(30)),
    ];

    private readonly CancellationTokenSource _disposing = new();
    private LogbookApi _api = null!;
    private IDisposable? _sessionSubscription;

    private string _text = "";
    private string _tags = "";
    private string _channels = "";
    private string _attachRange = "1h";
    private string? _preview;
    private string? _formError;
    private bool _busy;

    private string _filterTag = "";
    private string _filterAuthor = "";
    private string _filterText = "";
    private string _filterRange = "all";
    private bool _includeAlarms = true;
    private LogbookFilter _filter = new(Limit: PageSize);
    private List<LogbookEntry> _entries = [];
    private bool _hasMore;
    private bool _loading;
    private string? _listError;

    [Inject]
    public required ILiveData LiveData { get; init; }

    [Inject]
    public required HttpClient Http { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject]
    public required UserSession Session { get; init; }

    /// <summary>Writing needs the shifter role; the server checks it too.</summary>
    private bool CanWrite => Session.Has(MonitorRoles.Shifter);

    private string? WriteHint => Session.MissingRoleHint(MonitorRoles.Shifter, "write in the logbook");

    public void Dispose()
    {
        _sessionSubscription?.Dispose();
        _disposing.Cancel();
        _disposing.Dispose();
    }

    protected override async Task OnInitializedAsync()
    {
        _api = new LogbookApi(Http);
        _sessionSubscription = Session.SubscribeChanged(() => InvokeAsync(StateHasChanged));
        if (RendererInfo.IsInteractive)
        {
            await LoadAsync(append: false);
        }
    }

    private static string EntryTestId(LogbookEntry entry) =>
        (entry.Kind == LogbookEntryKind.AlarmComment ? "alarm-comment-" : "entry-") + entry.Id.ToString(CultureInfo.InvariantCulture);

    private DateTimeOffset ServerNow => Time.GetUtcNow() + LiveData.ServerClockOffset;

    private async Task SearchAsync()
    {
        var span = FilterRanges.First(r => r.Key == _filterRange).Span;
        _filter = new LogbookFilter(
            From: span is { } s ? ServerNow - s : null,
            Tag: Blank(_filterTag)?.ToLowerInvariant(),
            Author: Blank(_filterAuthor),
            Text: Blank(_filterText),
            IncludeAlarmComments: _includeAlarms,
            Limit: PageSize);
        await LoadAsync(append: false);
    }

    private async Task FilterByTagAsync(string tag)
    {
        _filterTag = tag;
        await SearchAsync();
    }

    private Task LoadMoreAsync() => LoadAsync(append: true);

    private async Task LoadAsync(bool append)
    {
        _loading = true;
        var filter = _filter with { Offset = append ? _entries.Count : 0 };
        var result = await _api.ListAsync(filter, _disposing.Token);
        _loading = false;
        if (result.Value is not { } page)
        {
            _listError = result.Error;
            return;
        }

        _listError = null;
        _entries = append ? [.. _entries, .. page.Entries] : [.. page.Entries];
        _hasMore = page.HasMore;
    }

    private async Task PreviewAsync()
    {
        _busy = true;
        var result = await _api.PreviewAsync(_text, _disposing.Token);
        _busy = false;
        _formError = result.Error;
        _preview = result.Value?.Html;
    }

    private async Task SubmitAsync()
    {
        if (string.IsNullOrWhiteSpace(_text))
        {
            _formError = "Write something first.";
            return;
        }

        var channels = _channels.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        LogbookSnapshotRequest? snapshot = null;
        if (channels.Count > 0)
        {
            var now = ServerNow;
            snapshot = new LogbookSnapshotRequest(channels, now - AttachRanges.First(r => r.Key == _attachRange).Span, now);
        }

        _busy = true;
        var result = await _api.CreateAsync(new NewLogbookEntry(_text, LogbookApi.ParseTags(_tags), snapshot), _disposing.Token);
        _busy = false;
        if (result.Value is null)
        {
            _formError = result.Error;
            return;
        }

        _formError = null;
        _preview = null;
        _text = "";
        _tags = "";
        _channels = "";
        await LoadAsync(append: false);
    }

    private static string? Blank(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
