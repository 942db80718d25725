using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Components;

namespace Clovers.Monitor.Client.Pages;

/// <summary>The audit log for experts: who did what and when, filtered by user and action, a page at a time.</summary>
public sealed partial class Audit : ComponentBase, IDisposable
{
    public const int PageSize = 100;

    private readonly CancellationTokenSource _disposing = new();
    private IDisposable? _subscription;
    private AccountApi _api = null!;
    private AuditPage? _page;
    private string _user = "";
    private string _action = "";
    private int _offset;
    private bool _loading;
    private string? _error;

    [Inject]
    public required HttpClient Http { get; init; }

    [Inject]
    public required UserSession Session { get; init; }

    private string CsvLink
    {
        get
        {
            var query = new List<string>();
            if (!string.IsNullOrWhiteSpace(_user))
            {
                query.Add("user=" + Uri.EscapeDataString(_user.Trim()));
            }

            if (!string.IsNullOrWhiteSpace(_action))
            {
                query.Add("action=" + Uri.EscapeDataString(_action.Trim()));
            }

            return ApiPaths.Relative(AuthRoutes.AuditCsv) + (query.Count == 0 ? "" : "?" + string.Join('&', query));
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _disposing.Cancel();
        _disposing.Dispose();
    }

    protected override async Task OnInitializedAsync()
    {
        _api = new AccountApi(Http);
        _subscription = Session.SubscribeChanged(() => InvokeAsync(LoadAsync));
        await Session.EnsureLoadedAsync(_disposing.Token);
        await LoadAsync();
    }

    private static string? Change(AuditRecord entry) =>
        entry.OldValue is null && entry.NewValue is null ? null : $"before: {entry.OldValue ?? "—"}\nafter: {entry.NewValue ?? "—"}";

    private Task FirstPageAsync()
    {
        _offset = 0;
        return LoadAsync();
    }

    private Task MoveAsync(int by)
    {
        _offset = Math.Max(0, _offset + by);
        return LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (!Session.Has(MonitorRoles.Expert))
        {
            StateHasChanged();
            return;
        }

        _loading = true;
        var result = await _api.AuditAsync(_user, _action, _offset, PageSize, _disposing.Token);
        _loading = false;
        _page = result.Value ?? _page;
        _error = result.Error;
        StateHasChanged();
    }
}
