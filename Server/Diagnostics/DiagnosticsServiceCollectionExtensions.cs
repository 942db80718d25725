using Clovers.Monitor.Shared.Api;
using Microsoft.AspNetCore.SignalR;
using Prometheus;

namespace Clovers.Monitor.Server.Diagnostics;

public static class DiagnosticsServiceCollectionExtensions
{
    /// <summary>Rates, hub connection count, the diagnostics document and its Prometheus export.</summary>
    public static IHostApplicationBuilder AddDiagnostics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DiagnosticsSampler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DiagnosticsSampler>());
        builder.Services.AddSingleton<HubConnectionCounter>();
        builder.Services.Configure<HubOptions>(o => o.AddFilter<HubConnectionCounter>());
        builder.Services.AddSingleton<ServerDiagnosticsCollector>();
        builder.Services.AddSingleton<PrometheusExporter>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(DiagnosticsJsonContext.Default));
        return builder;
    }

    /// <summary><c>GET /api/diagnostics</c> and <c>GET /metrics</c>.</summary>
    public static IEndpointRouteBuilder MapDiagnostics(this IEndpointRouteBuilder app)
    {
        app.MapGet(DiagnosticsRoutes.Diagnostics, async (ServerDiagnosticsCollector collector) => TypedResults.Ok(await collector.CollectAsync()))
            .WithTags("Diagnostics")
            .WithSummary("Ingest rates and totals, rejections, queues, store latency, connections, agents' outboxes, memory and uptime of this instance.");

        var exporter = app.ServiceProvider.GetRequiredService<PrometheusExporter>();
        // Mapped as a GET of our own rather than with MapMetrics, which answers every HTTP method:
        // a scrape reads, and nothing here may be written to.
        app.MapGet(DiagnosticsRoutes.Metrics, async (HttpContext context, CancellationToken cancellationToken) =>
            {
                context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await exporter.Registry.CollectAndExportAsTextAsync(context.Response.Body, cancellationToken);
            })
            .WithTags("Diagnostics")
            .WithSummary("The same figures in Prometheus text format (clovers_…).");
        return app;
    }
}
