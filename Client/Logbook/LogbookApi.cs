using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Client.Logbook;

/// <summary>The logbook REST API as the Logbook page uses it.</summary>
public sealed class LogbookApi(HttpClient http)
{
    public Task<ApiResult<LogbookPage>> ListAsync(LogbookFilter filter, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, Relative(LogbookRoutes.Query(filter))), ApiJsonContext.Default.LogbookPage, cancellationToken);

    public Task<ApiResult<LogbookEntry>> CreateAsync(NewLogbookEntry entry, CancellationToken cancellationToken) =>
        SendAsync(
            new HttpRequestMessage(HttpMethod.Post, Relative(LogbookRoutes.Entries)) { Content = JsonContent.Create(entry, ApiJsonContext.Default.NewLogbookEntry) },
            ApiJsonContext.Default.LogbookEntry,
            cancellationToken);

    public Task<ApiResult<LogbookPreview>> PreviewAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(
            new HttpRequestMessage(HttpMethod.Post, Relative(LogbookRoutes.Preview)) { Content = JsonContent.Create(new LogbookPreviewRequest(text), ApiJsonContext.Default.LogbookPreviewRequest) },
            ApiJsonContext.Default.LogbookPreview,
            cancellationToken);

    /// <summary>Tags typed as one line: separated by commas or spaces, trimmed, lower case, without repeats.</summary>
    public static IReadOnlyList<string> ParseTags(string? text) =>
        (text ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private static Uri Relative(string route) => new(ApiPaths.Relative(route), UriKind.Relative);

    private async Task<ApiResult<T>> SendAsync<T>(HttpRequestMessage request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        using (request)
        {
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return new ApiResult<T>(await response.Content.ReadFromJsonAsync(type, cancellationToken), null);
                }

                return new ApiResult<T>(null, await ProblemTextAsync(response, cancellationToken));
            }
            catch (HttpRequestException exception)
            {
                return new ApiResult<T>(null, "The server cannot be reached: " + exception.Message);
            }
        }
    }

    /// <summary>The problem+json of a refusal in one line: its detail or every field error, else the status.</summary>
    private static async Task<string> ProblemTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized:
                return "Log in to write in the logbook.";
            case HttpStatusCode.Forbidden:
                return "Writing in the logbook needs the shifter role.";
        }

        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = problem.RootElement;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                return string.Join(" ", errors.EnumerateObject().SelectMany(field => field.Value.EnumerateArray().Select(message => $"{field.Name}: {message.GetString()}")));
            }

            if (root.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
        }

        return $"The server answered {(int)response.StatusCode} {response.ReasonPhrase}.";
    }
}
