using Microsoft.AspNetCore.Http.HttpResults;

namespace Clovers.Monitor.Server.Notifications;

/// <summary>Delivery status of alarm notifications: what went out, what waits, what failed and why.</summary>
public static class NotificationEndpoints
{
    public const string Route = "/api/notifications";
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Route, ListAsync)
            .WithTags("Notifications")
            .WithSummary("Newest outbox rows first (no bodies, no URLs): status pending, sent, failed or silenced.")
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<NotificationDelivery>>, ValidationProblem>> ListAsync(
        NotificationOutbox outbox, string? status, int? limit, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>();
        if (status is not null && !NotificationStatuses.All.Contains(status))
        {
            problems["status"] = [$"Must be one of {string.Join(", ", NotificationStatuses.All)}."];
        }

        if (limit is < 1 or > MaxLimit)
        {
            problems["limit"] = [$"Must be within [1, {MaxLimit}]."];
        }

        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems);
        }

        return TypedResults.Ok(await outbox.ListAsync(status, limit ?? DefaultLimit, cancellationToken));
    }
}
