using Clovers.Monitor.Server.Alarms.Api;
using Clovers.Monitor.Server.Demo;
using Clovers.Monitor.Server.Notifications;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Server.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>REST API plumbing: source-generated JSON, problem+json errors, the OpenAPI document.</summary>
    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.Services.AddProblemDetails();

        // A query value that does not bind (limit=abc) is the caller's error: 400, not 500, also in
        // Development, where minimal APIs throw it instead of answering it.
        builder.Services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = exception =>
            exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
        builder.Services.AddOpenApi();
        return builder;
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapLiveApi();
        app.MapExportApi();
        app.MapHealth();
        app.MapSimulationApi();
        app.MapAlarmApi();
        app.MapNotificationsApi();
        return app;
    }
}
