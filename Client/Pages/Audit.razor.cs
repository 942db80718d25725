using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Formatting;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Auth;

namespace Clovers.Monitor.Client.Pages;

/// <summary>The audit log for experts: who did what and when, filtered by user and action, a page at a time.</summary>
public sealed partial class Audit : AccountPageBase
{
    public const int PageSize = 100;

    private AuditPage? _page;
    private string _user = "";
    private string _action = "";
    private int _offset;
    private bool _loading;
    private string? _error;

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

    private static string? Change(AuditRecord entry) =>
        entry.OldValue is null && entry.NewValue is null ? null : $"before: {entry.OldValue ?? DisplayFormat.Missing}\nafter: {entry.NewValue ?? DisplayFormat.Missing}";

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

    protected override async Task LoadAsync()
    {
        if (!Session.Has(MonitorRoles.Expert))
        {
            StateHasChanged();
            return;
        }

        _loading = true;
        var result = await Api.AuditAsync(_user, _action, _offset, PageSize, Disposing);
        _loading = false;
        _page = result.Value ?? _page;
        _error = result.Error;
        StateHasChanged();
    }
}
