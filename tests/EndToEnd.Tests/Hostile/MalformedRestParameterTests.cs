using System.Net;
using System.Text.Json;
using Clovers.Monitor.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Clovers.Monitor.EndToEnd.Tests.Hostile;

/// <summary>
/// Every GET endpoint of the Server's endpoint table (its OpenAPI document, plus the few routes
/// kept out of it) called with garbage in every route and query value: the answer is a 2xx or a
/// 4xx, never a 5xx, and the Server keeps running.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class MalformedRestParameterTests(HostileServerFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] Garbage =
    [
        "",
        "%00",
        "%zz",
        "'; DROP TABLE readings; --",
        "..%2F..%2Fetc%2Fpasswd",
        "99999999999999999999999999",
        "-1",
        "NaN",
        "1e309",
        "%F0%9F%92%A9",
        "%E2%80%AE",
        "2026-13-45T99:99:99Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "%7B%22a%22%3A1%7D",
        "null",
        new string('a', 4000),
        "a,b,,c,%2C,",
    ];

    /// <summary>Query names used somewhere in the API, tried on every endpoint.</summary>
    private static readonly string[] CommonQueryNames = ["from", "to", "maxPoints", "channels", "step", "limit", "severity", "ruleId", "status", "id"];

    private static readonly string[] RoutesOutsideTheDocument = ["/healthz", "/api/info", "/api/channels", "/api/agents", "/api/diagnostics/ingest"];

    [Fact]
    public async Task EveryGetEndpoint_GarbageInRouteAndQuery_AnswersWithoutServerError()
    {
        var server = await fixture.GetServerAsync();
        var endpoints = await GetEndpointsAsync(server);
        Assert.True(endpoints.Count >= 8, $"only {endpoints.Count} GET endpoints found");
        var failures = new List<string>();
        var requests = 0;

        foreach (var (template, queryNames) in endpoints)
        {
            foreach (var value in Garbage)
            {
                var path = FillRoute(template, value);
                foreach (var name in queryNames.Concat(CommonQueryNames).Distinct(StringComparer.Ordinal))
                {
                    requests++;
                    await CheckAsync(server, $"{path}?{name}={value}", failures);
                }

                requests++;
                await CheckAsync(server, path + "?" + string.Join('&', queryNames.Select(n => $"{n}={value}")), failures);
            }
        }

        output.WriteLine($"{endpoints.Count} GET endpoints, {requests} requests");
        Assert.Empty(failures);
        Assert.False(server.HasExited);
    }

    private static async Task CheckAsync(ServerProcess server, string url, List<string> failures)
    {
        try
        {
            using var response = await server.Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{(int)response.StatusCode} for GET {Shorten(url)}");
            }
        }
        catch (HttpRequestException exception)
        {
            failures.Add($"no answer for GET {Shorten(url)}: {exception.Message}");
        }
    }

    private static string FillRoute(string template, string value)
    {
        var path = template;
        while (path.IndexOf('{', StringComparison.Ordinal) is var start and >= 0)
        {
            var end = path.IndexOf('}', start);
            path = string.Concat(path.AsSpan(0, start), value.Length == 0 ? "x" : value, path.AsSpan(end + 1));
        }

        return path;
    }

    private static async Task<List<(string Template, string[] QueryNames)>> GetEndpointsAsync(ServerProcess server)
    {
        using var document = JsonDocument.Parse(await server.Http.GetStringAsync("/openapi/v1.json"));
        var endpoints = new List<(string, string[])>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            if (!path.Value.TryGetProperty("get", out var get))
            {
                continue;
            }

            var queryNames = get.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateArray()
                    .Where(p => p.GetProperty("in").GetString() == "query")
                    .Select(p => p.GetProperty("name").GetString()!)
                    .ToArray()
                : [];
            endpoints.Add((path.Name, queryNames));
        }

        foreach (var route in RoutesOutsideTheDocument.Where(r => endpoints.All(e => e.Item1 != r)))
        {
            endpoints.Add((route, []));
        }

        return endpoints;
    }

    private static string Shorten(string url) => url.Length <= 160 ? url : url[..160] + "…";
}
