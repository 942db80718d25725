using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Demo;
using Clovers.Monitor.Shared.Control;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Clovers.Monitor.Server.Control;

/// <summary>
/// <c>/api/control</c>: set a PMT's HV (policy check, MQTT request, reply or timeout), the policy,
/// and the recent commands. A policy refusal is 422 with the reason as the problem detail; a bad
/// body is 400; a command id reused for another change is 409. Sent commands answer 200 with
/// their outcome: accepted, refused (by the agent), failed or unknown.
/// </summary>
public static class ControlEndpoints
{
    public const int MaxCommandIdLength = 64;

    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(string.Empty).WithTags("Control");

        api.MapPost(ControlRoutes.Hv, SetHvAsync)
            .WithSummary("Sets a PMT's HV setpoint: {agentId, pmt, volts, commandId}. Checked against Control:Hv, sent to the agent, answered with its outcome.")
            .Accepts<HvCommandRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .Commanding();

        api.MapGet(ControlRoutes.HvPolicy, (ControlService service) => TypedResults.Ok(service.Policy))
            .WithSummary("The Server's HV policy: maximum, maximum step, ramp rate, reply timeout.")
            .Reading();

        api.MapGet(ControlRoutes.Commands, async (ControlService service, CancellationToken cancellationToken) =>
                TypedResults.Ok(await service.RecentAsync(cancellationToken)))
            .WithSummary("Recent control commands with their outcome, newest first.")
            .Reading();

        app.MapGet(ControlRoutes.SimulatedSupplyLog, SupplyLog)
            .WithTags("Simulation")
            .WithSummary("Every SCPI line the simulated HV supply received, oldest first; 403 when the demo is off.")
            .Reading();
        return app;
    }

    private static async Task<Results<Ok<ControlCommandView>, ValidationProblem, ProblemHttpResult>> SetHvAsync(
        HvCommandRequest? request,
        HttpContext context,
        ControlService service,
        CancellationToken cancellationToken)
    {
        if (Problems(request) is { Count: > 0 } problems)
        {
            return TypedResults.ValidationProblem(problems);
        }

        var result = await service.SetHvAsync(request!, AuthPolicies.UserName(context.User), cancellationToken);
        return result.Verdict switch
        {
            HvCommandVerdict.PolicyRefused => TypedResults.Problem(
                result.Command.Reason,
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Refused by the HV policy"),
            HvCommandVerdict.IdConflict => TypedResults.Problem(
                $"Command id '{result.Command.CommandId}' was already used for {result.Command.Pmt} → {result.Command.NewVolts} V; use a fresh id for a new change.",
                statusCode: StatusCodes.Status409Conflict,
                title: "Command id reused"),
            _ => TypedResults.Ok(result.Command),
        };
    }

    private static Dictionary<string, string[]> Problems(HvCommandRequest? request)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request is null)
        {
            problems["body"] = ["A JSON body {agentId, pmt, volts, commandId} is required."];
            return problems;
        }

        if (!ProtocolRules.IsValidSourceId(request.AgentId ?? string.Empty))
        {
            problems["agentId"] = [$"'{request.AgentId}' is not a valid agent id."];
        }

        if (string.IsNullOrWhiteSpace(request.Pmt))
        {
            problems["pmt"] = ["The PMT is required (sd1a … sd4b)."];
        }

        if (!double.IsFinite(request.Volts))
        {
            problems["volts"] = ["The voltage must be a finite number."];
        }

        if (string.IsNullOrWhiteSpace(request.CommandId) || request.CommandId.Length > MaxCommandIdLength)
        {
            problems["commandId"] = [$"A command id of 1–{MaxCommandIdLength} characters is required (a fresh GUID per change)."];
        }

        return problems;
    }

    private static Results<Ok<IReadOnlyList<string>>, ProblemHttpResult> SupplyLog(IServiceProvider services) =>
        services.GetService<DemoPlatformService>() is { } demo
            ? TypedResults.Ok(demo.Supply.ReceivedCommands)
            : TypedResults.Problem("The simulated HV supply exists only in the demo (Demo:Enabled=true).", statusCode: StatusCodes.Status403Forbidden, title: "Not a simulation");
}
