using Clovers.Monitor.Shared.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Clovers.Monitor.Server.Demo;

/// <summary>
/// <c>/api/simulation/faults</c>: inject and clear faults of the simulated platform, to rehearse
/// alarms. Refused with 403 when the demo is off: a real detector is never "simulated".
/// </summary>
public static class SimulationEndpoints
{
    public static IEndpointRouteBuilder MapSimulationApi(this IEndpointRouteBuilder app)
    {
        var faults = app.MapGroup(ApiRoutes.SimulationFaults).WithTags("Simulation");
        faults.MapGet(string.Empty, List).WithSummary("Known and active faults of the simulated platform.");
        // Deliberately open: the endpoints act only on the simulated platform (403 when the demo is
        // off), and a demo is for anyone to rehearse alarms on. The endpoint-table test lists this.
        faults.MapPost("/{name}", (string name, IServiceProvider services) => Change(name, active: true, services))
            .AllowAnonymous()
            .WithSummary("Injects a fault: dewar-warmup, ln2-leak, hv-trip, pmt-noisy, agent-silent, beam-trip, flapping-sensor.");
        faults.MapDelete("/{name}", (string name, IServiceProvider services) => Change(name, active: false, services))
            .AllowAnonymous()
            .WithSummary("Clears a fault.");
        return app;
    }

    private static Results<Ok<SimulationFaultsState>, ProblemHttpResult> List(IServiceProvider services) =>
        services.GetService<SimulationFaults>() is { } faults
            ? TypedResults.Ok(new SimulationFaultsState(SimulationFaults.Known, faults.Active))
            : DemoOff();

    private static Results<Ok<SimulationFaultsState>, ProblemHttpResult> Change(string name, bool active, IServiceProvider services)
    {
        if (services.GetService<SimulationFaults>() is not { } faults)
        {
            return DemoOff();
        }

        if (!faults.TrySet(name, active))
        {
            return TypedResults.Problem(
                $"'{name}' is not a fault of the simulated platform; known: {string.Join(", ", SimulationFaults.Known)}.",
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown fault");
        }

        return TypedResults.Ok(new SimulationFaultsState(SimulationFaults.Known, faults.Active));
    }

    private static ProblemHttpResult DemoOff() =>
        TypedResults.Problem(
            "Fault injection exists only for the simulated platform (Demo:Enabled=true).",
            statusCode: StatusCodes.Status403Forbidden,
            title: "Not a simulation");
}
