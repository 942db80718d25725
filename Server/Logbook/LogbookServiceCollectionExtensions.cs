namespace Clovers.Monitor.Server.Logbook;

public static class LogbookServiceCollectionExtensions
{
    /// <summary>The electronic logbook: its tables (migration 7 of <c>state.db</c>), the Markdown renderer and the service behind <c>/api/logbook</c>.</summary>
    public static IHostApplicationBuilder AddLogbook(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MarkdownRenderer>();
        builder.Services.AddSingleton<LogbookStore>();
        builder.Services.AddSingleton<AlarmHistoryReader>();
        builder.Services.AddSingleton<LogbookService>();
        builder.Services.AddSingleton<LogbookAudit>();
        return builder;
    }

    /// <summary>Reading the logbook needs the viewer policy; writing and previewing the shifter policy.</summary>
    public static IEndpointRouteBuilder MapLogbook(this IEndpointRouteBuilder app)
    {
        app.MapLogbookApi();
        app.MapLogbookWrites();
        return app;
    }
}
