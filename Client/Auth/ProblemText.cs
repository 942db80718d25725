using System.Text.Json;

namespace Clovers.Monitor.Client.Auth;

/// <summary>What a refusal says: the problem+json <c>detail</c> (or <c>title</c>), else the status line.</summary>
public static class ProblemText
{
    public static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
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
                if (problem.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
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
