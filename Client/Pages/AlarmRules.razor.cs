using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Alarms;
using Microsoft.AspNetCore.Components;

namespace Clovers.Monitor.Client.Pages;

/// <summary>A rule as the list shows it; the JSON itself stays as the server wrote it.</summary>
public sealed record RuleSummary(string Id, string Kind, string Severity, string Channel, bool Enabled);

/// <summary>
/// The expert rule editor: the rule set from the server, one rule's JSON to edit, a backtest of
/// the edit against stored data, and saving the whole set with the edited rule in place. The
/// client keeps rules as JSON: the server owns the rule model and validates every change.
/// </summary>
public sealed partial class AlarmRules : ComponentBase, IAsyncDisposable
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    private readonly CancellationTokenSource _disposing = new();
    private List<JsonObject> _rules = [];
    private string? _selectedId;
    private string _json = "";
    private int _days = AlarmBacktestRequest.DefaultDays;
    private bool _loading = true;
    private bool _busy;
    private string? _error;
    private string? _message;
    private AlarmBacktestResult? _backtest;
    private int _backtestDays;
    private IDisposable? _sessionSubscription;

    [Inject]
    public required HttpClient Http { get; init; }

    [Inject]
    public required Auth.UserSession Session { get; init; }

    /// <summary>Saving rules is for experts (the server checks too); anyone who may read may backtest.</summary>
    private bool CanSave => Session.Has(Clovers.Monitor.Shared.Auth.MonitorRoles.Expert);

    private IEnumerable<RuleSummary> Summaries => _rules.Select(Summarize);

    public async ValueTask DisposeAsync()
    {
        _sessionSubscription?.Dispose();
        await _disposing.CancelAsync();
        _disposing.Dispose();
    }

    /// <summary>What the backtest answer says to a person.</summary>
    public static string Describe(AlarmBacktestResult result, int days)
    {
        ArgumentNullException.ThrowIfNull(result);
        var times = result.Activations == 1 ? "1 time" : result.Activations.ToString(CultureInfo.InvariantCulture) + " times";
        var span = days == 1 ? "the last day" : $"the last {days.ToString(CultureInfo.InvariantCulture)} days";
        return $"Would have fired {times} in {span}.";
    }

    protected override async Task OnInitializedAsync()
    {
        _sessionSubscription = Session.SubscribeChanged(() => InvokeAsync(StateHasChanged));
        try
        {
            using var response = await Http.GetAsync(new Uri(ApiPaths.Relative(AlarmRoutes.Rules), UriKind.Relative), _disposing.Token);
            if (!response.IsSuccessStatusCode)
            {
                _error = await ProblemTextAsync(response, _disposing.Token);
                return;
            }

            _rules = ParseSet(await response.Content.ReadAsStringAsync(_disposing.Token));
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException)
        {
            _error = "The rules could not be loaded: " + exception.Message;
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
            // The page was left while loading.
        }
        finally
        {
            _loading = false;
        }
    }

    private static List<JsonObject> ParseSet(string json) =>
        JsonNode.Parse(json) is JsonArray array ? [.. array.OfType<JsonObject>()] : throw new JsonException("The rule set is not a JSON array.");

    private static RuleSummary Summarize(JsonObject rule) => new(
        Text(rule, "id"),
        Text(rule, "kind"),
        Text(rule, "severity"),
        Text(rule, "channel") is { Length: > 0 } channel ? channel : Text(rule, "agentId"),
        rule["enabled"] is not JsonValue enabled || !enabled.TryGetValue<bool>(out var on) || on);

    private static string Text(JsonObject rule, string property) =>
        rule[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    private static string Format(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            node.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void Select(string id)
    {
        if (_rules.FirstOrDefault(r => Text(r, "id") == id) is not { } rule)
        {
            return;
        }

        _selectedId = id;
        _json = Format(rule);
        _backtest = null;
        _error = null;
        _message = null;
    }

    private JsonObject? ParseEdited()
    {
        try
        {
            if (JsonNode.Parse(_json) is JsonObject rule)
            {
                return rule;
            }

            _error = "The rule must be one JSON object with its 'kind'.";
        }
        catch (JsonException exception)
        {
            _error = "The rule is not valid JSON: " + exception.Message;
        }

        return null;
    }

    private async Task BacktestAsync()
    {
        if (_busy || _selectedId is null)
        {
            return;
        }

        _error = null;
        _message = null;
        _backtest = null;
        if (ParseEdited() is not { } rule)
        {
            return;
        }

        var days = _days;
        var body = new JsonObject { ["rule"] = rule, ["days"] = days };
        _busy = true;
        try
        {
            using var content = new StringContent(Format(body), Encoding.UTF8, "application/json");
            using var response = await Http.PostAsync(new Uri(ApiPaths.Relative(AlarmBacktestRoutes.Backtest), UriKind.Relative), content, _disposing.Token);
            if (!response.IsSuccessStatusCode)
            {
                _error = await ProblemTextAsync(response, _disposing.Token);
                return;
            }

            _backtest = await response.Content.ReadFromJsonAsync(AlarmBacktestJsonContext.Default.AlarmBacktestResult, _disposing.Token);
            _backtestDays = days;
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException)
        {
            _error = "The backtest failed: " + exception.Message;
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
            // The page was left while the backtest ran.
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SaveAsync()
    {
        if (_busy || _selectedId is not { } selectedId)
        {
            return;
        }

        _error = null;
        _message = null;
        if (ParseEdited() is not { } edited)
        {
            return;
        }

        var index = _rules.FindIndex(r => Text(r, "id") == selectedId);
        if (index < 0)
        {
            _error = $"Rule '{selectedId}' is no longer in the set; reload the page.";
            return;
        }

        // Nodes belong to one parent, so the set sent is built from copies.
        var set = new JsonArray([.. _rules.Select((rule, i) => i == index ? edited : rule.DeepClone())]);
        _busy = true;
        try
        {
            using var content = new StringContent(Format(set), Encoding.UTF8, "application/json");
            using var response = await Http.PutAsync(new Uri(ApiPaths.Relative(AlarmRoutes.Rules), UriKind.Relative), content, _disposing.Token);
            if (!response.IsSuccessStatusCode)
            {
                _error = await ProblemTextAsync(response, _disposing.Token);
                return;
            }

            _rules = ParseSet(await response.Content.ReadAsStringAsync(_disposing.Token));
            var savedId = Text(edited, "id");
            _message = $"Saved the rule set with '{savedId}'.";
            _selectedId = _rules.Any(r => Text(r, "id") == savedId) ? savedId : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException)
        {
            _error = "Saving failed: " + exception.Message;
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
            // The page was left while saving.
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Every reason of a validation problem, else its detail or title, else the status line.</summary>
    private static async Task<string> ProblemTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var fallback = $"{(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            if (JsonNode.Parse(text) is not JsonObject problem)
            {
                return fallback;
            }

            if (problem["errors"] is JsonObject errors)
            {
                var reasons = errors
                    .SelectMany(e => e.Value is JsonArray list ? list.Select(r => $"{e.Key}: {r}") : [$"{e.Key}: {e.Value}"])
                    .ToList();
                if (reasons.Count > 0)
                {
                    return string.Join(Environment.NewLine, reasons);
                }
            }

            foreach (var field in (ReadOnlySpan<string>)["detail", "title"])
            {
                if (Text(problem, field) is { Length: > 0 } message)
                {
                    return message;
                }
            }
        }
        catch (JsonException)
        {
            // Not problem+json (a proxy's error page, say): the status line says enough.
        }

        return fallback;
    }
}
