using System.Net.Http.Json;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Client.Exposure;

/// <summary><c>GET /api/exposure</c> as the Exposure page reads it.</summary>
public sealed class ExposureApi(HttpClient http)
{
    /// <summary>The report since the data-taking start, up to now.</summary>
    public async Task<ExposureReport> GetAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(ApiPaths.Relative(ExposureRoutes.Exposure), UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The server answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        return await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ExposureReport, cancellationToken)
            ?? throw new HttpRequestException("The server sent an empty exposure report.");
    }
}
