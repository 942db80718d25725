using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Formatting;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Client.Pmts;

/// <summary>What came of re-taking gain references: the references the server stored, or why it did not.</summary>
public sealed record GainReferenceResult(IReadOnlyList<SpeGainReferenceInfo>? Stored, string? Refusal)
{
    public string Outcome => Stored is null ? "refused" : "accepted";

    public string Text => Stored switch
    {
        null => "Refused: " + Refusal,
        [] => "The server took no reference.",
        _ => "New reference: " + string.Join("; ", Stored.Select(r => $"{r.Pmt} {GainReferenceText.Gain(r.GainPicocoulomb)} (run {r.Run.ToString(CultureInfo.InvariantCulture)})")),
    };
}

/// <summary>How a gain reference and its drift read on the PMT page.</summary>
public static class GainReferenceText
{
    public static string Gain(double? picocoulomb) => DisplayFormat.ValueWithUnit(picocoulomb, "pC");

    public static string Drift(double? percent) =>
        percent is { } p && double.IsFinite(p) ? p.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " %" : DisplayFormat.Missing;

    public static string When(DateTimeOffset? at) =>
        at is { } t ? DisplayFormat.UtcMinute(t) : DisplayFormat.Missing;

    /// <summary>Who set the reference: a configured value, the first stable fit, or the expert who re-took it.</summary>
    public static string Source(string? source) => source switch
    {
        null or "" => DisplayFormat.Missing,
        SpeGainReferenceSources.Configured => "configured (Spectra:ReferenceGains)",
        SpeGainReferenceSources.FirstStableFit => source,
        _ => "by " + source,
    };

    /// <summary>The reference a fit's drift is measured against, in one line: value, run, when and who.</summary>
    public static string Summary(SpeGainInfo fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (fit.ReferenceGain is null)
        {
            return DisplayFormat.Missing;
        }

        var run = fit.ReferenceRun is { } r ? ", run " + r.ToString(CultureInfo.InvariantCulture) : string.Empty;
        var when = fit.ReferenceTakenAt is { } t ? ", " + When(t) : string.Empty;
        return $"{Gain(fit.ReferenceGain)}{run}{when}, {Source(fit.ReferenceSource)}";
    }
}

/// <summary>The SPE gain endpoints as the PMT page uses them: latest fits, stored references, re-taking them.</summary>
public sealed class GainReferenceApi(HttpClient http)
{
    /// <summary>The newest fit of every PMT with its reference and drift; empty when the server cannot say.</summary>
    public async Task<IReadOnlyList<SpeGainInfo>> LatestFitsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await http.GetFromJsonAsync(ApiPaths.Relative(SpectraRoutes.Gains), ApiJsonContext.Default.IReadOnlyListSpeGainInfo, cancellationToken) ?? [];
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or NotSupportedException)
        {
            return [];
        }
    }

    /// <summary>The references stored for a DAQ's PMTs; empty when the server cannot say.</summary>
    public async Task<IReadOnlyList<SpeGainReferenceInfo>> StoredAsync(string daqId, CancellationToken cancellationToken)
    {
        try
        {
            return await http.GetFromJsonAsync(ApiPaths.Relative(SpectraRoutes.GainReferences(daqId)), ApiJsonContext.Default.IReadOnlyListSpeGainReferenceInfo, cancellationToken) ?? [];
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or NotSupportedException)
        {
            return [];
        }
    }

    /// <summary>Re-takes <paramref name="pmt"/>'s reference from its newest fit, or every PMT's of the DAQ when null.</summary>
    public async Task<GainReferenceResult> RetakeAsync(string daqId, string? pmt, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(ApiPaths.Relative(SpectraRoutes.GainReferences(daqId)), UriKind.Relative))
        {
            Content = JsonContent.Create(new SpeGainReferenceRequest(pmt), ApiJsonContext.Default.SpeGainReferenceRequest),
        };
        try
        {
            using var response = await http.SendAsync(message, cancellationToken);
            if (response.IsSuccessStatusCode
                && await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.IReadOnlyListSpeGainReferenceInfo, cancellationToken) is { } stored)
            {
                return new GainReferenceResult(stored, null);
            }

            return new GainReferenceResult(null, await ProblemText.ReadDetailAsync(response, cancellationToken));
        }
        catch (HttpRequestException ex)
        {
            return new GainReferenceResult(null, "the server could not be reached: " + ex.Message);
        }
    }
}
