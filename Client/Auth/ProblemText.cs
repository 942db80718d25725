using System.Text.Json;

namespace Clovers.Monitor.Client.Auth;

/// <summary>What a refusal says, from its problem+json, in one line for the page to show.</summary>
public static class ProblemText
{
    /// <summary>The field errors of a validation problem joined, else <c>detail</c> or <c>title</c>, else the status line.</summary>
    public static Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        ReadAsync(response, fieldErrors: true, cancellationToken);

    /// <summary>Only <c>detail</c> or <c>title</c>, else the status line: for APIs whose refusals carry no field errors.</summary>
    public static Task<string> ReadDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        ReadAsync(response, fieldErrors: false, cancellationToken);

    private static async Task<string> ReadAsync(HttpResponseMessage response, bool fieldErrors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var fallback = $"{(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        try
        {
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (fieldErrors && problem.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                {
                    var messages = errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray()).Select(v => v.GetString()).OfType<string>().ToList();
                    if (messages.Count > 0)
                    {
                        return string.Join(" ", messages);
                    }
                }

                foreach (var field in (ReadOnlySpan<string>)["detail", "title"])
                {
                    if (problem.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
                        && value.GetString() is { Length: > 0 } message)
                    {
                        return message;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not problem+json: the status line says enough.
        }

        return fallback;
    }
}
