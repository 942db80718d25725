using System.Net.Http.Json;
using System.Text.Json;
using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Control;

namespace Clovers.Monitor.Client.Pmts;

/// <summary>What came of a confirmed HV change: the command as the server recorded it, or why it was not taken.</summary>
public sealed record HvChangeResult(ControlCommandView? Command, string? Refusal)
{
    public string Outcome => Command is { } command ? OutcomeKey(command.Outcome) : "refused";

    public string Text => Command switch
    {
        { Outcome: ControlOutcome.Accepted } c => FormattableString.Invariant($"Accepted: {c.Pmt} {c.OldVolts:0.#} V → {c.NewVolts:0.#} V; the supply is ramping."),
        { Outcome: ControlOutcome.Unknown } c => "Unknown: " + c.Reason,
        { } c => $"{char.ToUpperInvariant(OutcomeKey(c.Outcome)[0])}{OutcomeKey(c.Outcome)[1..]}: {c.Reason}",
        null => "Refused: " + Refusal,
    };

    public static string OutcomeKey(ControlOutcome outcome) => outcome switch
    {
        ControlOutcome.Accepted => "accepted",
        ControlOutcome.Refused => "refused",
        ControlOutcome.Failed => "failed",
        ControlOutcome.Pending => "pending",
        _ => "unknown",
    };
}

/// <summary>The control and identity endpoints as the PMT page uses them.</summary>
public sealed class ControlApi(HttpClient http)
{
    public async Task<HvPolicyView?> PolicyAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await http.GetFromJsonAsync(ApiPaths.Relative(ControlRoutes.HvPolicy), ControlJsonContext.Default.HvPolicyView, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Sends a confirmed change. The same <paramref name="request"/> may be sent again after an unknown outcome: the command id makes it safe.</summary>
    public async Task<HvChangeResult> SetHvAsync(HvCommandRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(ApiPaths.Relative(ControlRoutes.Hv), UriKind.Relative))
        {
            Content = JsonContent.Create(request, ControlJsonContext.Default.HvCommandRequest),
        };
        try
        {
            using var response = await http.SendAsync(message, cancellationToken);
            if (response.IsSuccessStatusCode
                && await response.Content.ReadFromJsonAsync(ControlJsonContext.Default.ControlCommandView, cancellationToken) is { } command)
            {
                return new HvChangeResult(command, null);
            }

            return new HvChangeResult(null, await ProblemText.ReadDetailAsync(response, cancellationToken));
        }
        catch (HttpRequestException ex)
        {
            return new HvChangeResult(null, "the server could not be reached: " + ex.Message);
        }
    }
}
