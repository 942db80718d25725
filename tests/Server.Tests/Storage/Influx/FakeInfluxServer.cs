using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Clovers.Monitor.Server.Tests.Storage.Influx;

/// <summary>
/// The few InfluxDB 2 endpoints the store calls, served on a loopback port the OS picks: it records
/// what the client sends and answers with statuses and CSV set by the test.
/// </summary>
internal sealed class FakeInfluxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeInfluxServer(WebApplication app)
    {
        _app = app;
    }

    public string Url => _app.Urls.First();

    /// <summary>Statuses for the next write requests, in order; 204 once it is empty.</summary>
    public ConcurrentQueue<int> WriteStatuses { get; } = new();

    public ConcurrentQueue<RecordedWrite> Writes { get; } = new();

    public ConcurrentQueue<string> Queries { get; } = new();

    /// <summary>Annotated CSV returned to every query.</summary>
    public string QueryResponse { get; set; } = "";

    public static async Task<FakeInfluxServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeInfluxServer(app);
        app.MapPost("/api/v2/write", server.WriteAsync);
        app.MapPost("/api/v2/query", server.QueryAsync);
        app.MapGet("/ping", (HttpContext context) => context.Response.StatusCode = StatusCodes.Status204NoContent);
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task WriteAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        Writes.Enqueue(new RecordedWrite(
            context.Request.Query["org"].ToString(),
            context.Request.Query["bucket"].ToString(),
            context.Request.Query["precision"].ToString(),
            context.Request.Headers.Authorization.ToString(),
            body.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var status = WriteStatuses.TryDequeue(out var next) ? next : StatusCodes.Status204NoContent;
        context.Response.StatusCode = status;
        if (status >= 400)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"code":"unavailable","message":"fake failure"}""");
        }
    }

    private async Task QueryAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        Queries.Enqueue(await reader.ReadToEndAsync());
        context.Response.ContentType = "text/csv; charset=utf-8";
        await context.Response.WriteAsync(QueryResponse);
    }
}

internal sealed record RecordedWrite(string Org, string Bucket, string Precision, string Authorization, string[] Lines);
