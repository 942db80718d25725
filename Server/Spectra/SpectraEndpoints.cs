using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Clovers.Monitor.Server.Api;
using Clovers.Monitor.Server.Audit;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Spectra;

/// <summary>The REST API of DAQ spectra: latest histograms, runs, snapshots, rates, references and SPE gains.</summary>
public static partial class SpectraEndpoints
{
    public const int MaxRateMinutes = 7 * 24 * 60;
    public const int MaxReferenceNameLength = 64;

    /// <summary>Audit action of saving a reference.</summary>
    public const string ReferenceSavedAction = "spectra.reference";

    /// <summary>Audit action of re-taking reference SPE gains.</summary>
    public const string GainReferenceAction = "spectra.gain-reference";

    public static IEndpointRouteBuilder MapSpectraApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(SpectraRoutes.Spectra).WithTags("Spectra");
        var read = api.MapGroup(string.Empty).RequireAuthorization(AuthPolicies.Viewer);

        read.MapGet(string.Empty, (SpectraStore store) => TypedResults.Ok(store.Summaries()))
            .WithSummary("The latest histogram of every key of every DAQ's current run: run, seq, triggers, livetime, POT, total counts and counts in 4–72 NPE.");

        read.MapGet("/gains", (SpeGainTracker gains) => TypedResults.Ok(gains.Latest))
            .WithSummary("The newest SPE gain fit of every PMT, with its reference and drift.");

        read.MapGet("/{daqId}/gains/reference", GetGainReferencesAsync)
            .WithSummary("The stored reference SPE gain of each PMT of a DAQ: when, in which run and by whom it was taken, and whether Spectra:ReferenceGains overrides it.")
            .Produces<IReadOnlyList<SpeGainReferenceInfo>>()
            .ProducesValidationProblem();

        // The reference decides when the gain-drift alarm fires: an expert's action.
        api.MapPost("/{daqId}/gains/reference", RetakeGainReferencesAsync)
            .RequireAuthorization(AuthPolicies.Expert)
            .WithSummary("Re-takes the reference SPE gain of one PMT ({\"pmt\": \"sd1a\"}) or of all PMTs of a DAQ (no pmt) from their newest fits.")
            .Produces<IReadOnlyList<SpeGainReferenceInfo>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        read.MapGet("/{daqId}/runs", GetRunsAsync)
            .WithSummary("Runs of a DAQ, newest first, with their totals and number of snapshots.")
            .Produces<IReadOnlyList<SpectraRunInfo>>()
            .ProducesValidationProblem();

        read.MapGet("/{daqId}/references", GetReferencesAsync)
            .WithSummary("Saved references of a DAQ, newest first.")
            .Produces<IReadOnlyList<SpectrumReferenceInfo>>()
            .ProducesValidationProblem();

        // Saving a reference changes what every shape alarm compares with: an expert's action.
        api.MapPost("/{daqId}/references", SaveReferenceAsync)
            .RequireAuthorization(AuthPolicies.Expert)
            .Produces<SpectrumReferenceInfo>()
            .WithSummary("Saves a run (the current one when run is omitted) of a DAQ under a name, as the reference for comparisons and shape alarms.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        read.MapGet("/{daqId}/{key}", GetHistogramAsync)
            .WithSummary("One histogram with its edges: the current run, ?run=N, or ?reference=name. CSV with ?format=csv or a .csv suffix on the key.")
            .Produces<SpectrumData>()
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        read.MapGet("/{daqId}/{key}/snapshots", GetSnapshotsAsync)
            .WithSummary("How a histogram grew through a run: one entry per stored snapshot (?run=N, current run by default).")
            .Produces<IReadOnlyList<SpectrumSnapshotInfo>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        read.MapGet("/{daqId}/{key}/rate", GetRateAsync)
            .WithSummary("Counts per second of livetime gained over the last ?minutes= (default 60), per bin and in 4–72 NPE.")
            .Produces<SpectrumRate>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static bool IsValidKey(string? key) => key is not null && KeyRegex().IsMatch(key);

    private static async Task<IResult> GetRunsAsync(string daqId, SpectraRepository repository, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckDaq(daqId, errors);
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : TypedResults.Ok(await repository.GetRunsAsync(daqId, cancellationToken));
    }

    private static async Task<IResult> GetGainReferencesAsync(string daqId, SpeGainReferenceStore store, SpeGainTracker gains, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckDaq(daqId, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var stored = await store.LoadAsync(daqId, cancellationToken);
        return TypedResults.Ok(GainReferenceInfos(stored, gains));
    }

    private static async Task<IResult> RetakeGainReferencesAsync(
        string daqId,
        SpeGainReferenceRequest? request,
        HttpContext context,
        SpeGainTracker gains,
        SpeGainReferenceStore store,
        IAuditLog audit,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckDaq(daqId, errors);
        var pmt = request?.Pmt;
        if (pmt is not null && !DaqChannels.IsPmt(pmt))
        {
            errors["pmt"] = ["pmt is sd1a … sd4b, or absent for every PMT of the DAQ."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var user = AuthPolicies.UserName(context.User);
        var references = gains.ReferencesFromLatestFits(daqId, pmt, user, time.GetUtcNow());
        if (references.Count == 0)
        {
            return TypedResults.Problem($"DAQ '{daqId}' has no SPE gain fit{(pmt is null ? "" : $" of {pmt}")} yet to take a reference from.", statusCode: StatusCodes.Status404NotFound);
        }

        var previous = (await store.LoadAsync(daqId, cancellationToken)).ToDictionary(r => r.Pmt, StringComparer.Ordinal);
        var replaced = references.Select(r => previous.GetValueOrDefault(r.Pmt)).OfType<SpeGainReference>().ToList();
        await store.SaveAsync(references, cancellationToken);
        gains.SetReferences(references);
        await audit.AppendAsync(time, user, GainReferenceAction, $"{daqId}/{pmt ?? "all"}", AuditActions.Succeeded, cancellationToken,
            oldValue: replaced.Count == 0 ? null : GainList(replaced),
            newValue: GainList(references));
        return TypedResults.Ok(GainReferenceInfos(references, gains));
    }

    private static IReadOnlyList<SpeGainReferenceInfo> GainReferenceInfos(IEnumerable<SpeGainReference> references, SpeGainTracker gains) =>
    [
        .. references.Select(r => new SpeGainReferenceInfo(r.DaqId, r.Pmt, r.Gain, r.TakenAt, r.Run, r.TakenBy) { OverriddenByConfiguration = gains.IsConfigured(r.Pmt) }),
    ];

    private static string GainList(IEnumerable<SpeGainReference> references) =>
        string.Join(", ", references.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Pmt} {r.Gain:0.0000} pC (run {r.Run})")));

    private static async Task<IResult> GetReferencesAsync(string daqId, SpectraRepository repository, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckDaq(daqId, errors);
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : TypedResults.Ok(await repository.GetReferencesAsync(daqId, cancellationToken));
    }

    private static async Task<IResult> SaveReferenceAsync(
        string daqId,
        SpectrumReferenceRequest? request,
        HttpContext context,
        SpectraStore store,
        SpectraRepository repository,
        ShapeMonitor shapes,
        IAuditLog audit,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckDaq(daqId, errors);
        if (request?.Name is not { Length: > 0 and <= MaxReferenceNameLength } name || !ProtocolRules.IsValidSourceId(name))
        {
            errors["name"] = [$"A name of lower-case letters, digits, '-' and '_' (at most {MaxReferenceNameLength}) is required."];
            name = string.Empty;
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var found = await FindRunAsync(daqId, request!.Run, store, repository, cancellationToken);
        if (found is null)
        {
            return TypedResults.Problem($"DAQ '{daqId}' has no stored run {request.Run?.ToString(CultureInfo.InvariantCulture) ?? "yet"}.", statusCode: StatusCodes.Status404NotFound);
        }

        var user = AuthPolicies.UserName(context.User);
        var now = time.GetUtcNow();
        var totals = found.Value.Totals;
        await repository.SaveReferenceAsync(name, totals, found.Value.Histograms, user, now, cancellationToken);
        shapes.ReferencesChanged();
        await audit.AppendAsync(time, user, ReferenceSavedAction, $"{daqId}/{name}", AuditActions.Succeeded, cancellationToken,
            newValue: string.Create(CultureInfo.InvariantCulture, $"run {totals.Run}, {found.Value.Histograms.Count} histograms"));
        return TypedResults.Ok(new SpectrumReferenceInfo(daqId, name, totals.Run, now, user, totals.Triggers, totals.LivetimeSeconds, totals.ProtonsOnTarget, found.Value.Histograms.Count));
    }

    private static async Task<IResult> GetHistogramAsync(
        string daqId,
        string key,
        string? run,
        string? reference,
        string? format,
        SpectraStore store,
        SpectraRepository repository,
        CancellationToken cancellationToken)
    {
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        if (key.EndsWith(SpectraRoutes.CsvSuffix, StringComparison.Ordinal))
        {
            key = key[..^SpectraRoutes.CsvSuffix.Length];
            csv = true;
        }

        var errors = new Dictionary<string, string[]>();
        CheckDaq(daqId, errors);
        CheckKey(key, errors);
        var runNumber = ParseRun(run, errors);
        if (format is not null && !csv && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            errors["format"] = ["format is json or csv."];
        }

        if (reference is not null && (!ProtocolRules.IsValidSourceId(reference) || runNumber is not null))
        {
            errors["reference"] = ["reference is the name of a saved reference, and excludes run."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        SpectrumData? data;
        if (reference is not null)
        {
            var saved = await repository.GetReferenceAsync(daqId, reference, key, cancellationToken);
            data = saved is { } r ? ReferenceData(daqId, key, r.Info, r.Edges, r.Counts) : null;
        }
        else
        {
            var found = await FindHistogramAsync(daqId, key, runNumber, store, repository, cancellationToken);
            data = found is { } f ? new SpectrumData(DaqSpectra.Summarize(f.Totals, f.Histogram), f.Histogram.Edges, f.Histogram.Counts) : null;
        }

        if (data is null)
        {
            return TypedResults.Problem($"No histogram '{key}' of DAQ '{daqId}' {(reference is null ? "in that run" : $"in reference '{reference}'")}.", statusCode: StatusCodes.Status404NotFound);
        }

        if (!csv)
        {
            return TypedResults.Ok(data);
        }

        var text = new StringBuilder("low,high,count\n");
        for (var i = 0; i < data.Counts.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{data.Edges[i]:R},{data.Edges[i + 1]:R},{data.Counts[i]}\n");
        }

        var fileName = string.Create(CultureInfo.InvariantCulture, $"{daqId}-run{data.Summary.Run}-{key}.csv");
        return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", fileName);
    }

    private static async Task<IResult> GetSnapshotsAsync(
        string daqId,
        string key,
        string? run,
        SpectraStore store,
        SpectraRepository repository,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckDaq(daqId, errors);
        CheckKey(key, errors);
        var runNumber = ParseRun(run, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var found = await FindHistogramAsync(daqId, key, runNumber, store, repository, cancellationToken);
        if (found is not { } f)
        {
            return TypedResults.Problem($"No histogram '{key}' of DAQ '{daqId}' in that run.", statusCode: StatusCodes.Status404NotFound);
        }

        var npe = f.Histogram.Kind == HistogramKind.Npe;
        var rows = await repository.GetSnapshotsAsync(daqId, f.Totals.Run, key, cancellationToken);
        IReadOnlyList<SpectrumSnapshotInfo> list =
        [
            .. rows.Select(s => new SpectrumSnapshotInfo(s.At, s.Seq, s.Triggers, s.LivetimeSeconds, s.ProtonsOnTarget, s.Counts.Sum(),
                npe ? SpectraRoutes.CountsBetween(f.Histogram.Edges, s.Counts) : null)),
        ];
        return TypedResults.Ok(list);
    }

    private static async Task<IResult> GetRateAsync(
        string daqId,
        string key,
        string? minutes,
        SpectraStore store,
        SpectraRepository repository,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckDaq(daqId, errors);
        CheckKey(key, errors);
        var span = QueryParsing.ParseInt(minutes, "minutes", 1, MaxRateMinutes, errors) ?? 60;
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (store.Find(daqId) is not { } current || !current.Histograms.TryGetValue(key, out var histogram))
        {
            return TypedResults.Problem($"DAQ '{daqId}' has no current histogram '{key}'.", statusCode: StatusCodes.Status404NotFound);
        }

        var to = time.GetUtcNow();
        var since = await repository.GetSnapshotAtOrBeforeAsync(daqId, current.Totals.Run, key, to - TimeSpan.FromMinutes(span), cancellationToken);
        var livetime = current.Totals.LivetimeSeconds - (since?.LivetimeSeconds ?? 0);
        var pot = current.Totals.ProtonsOnTarget - (since?.ProtonsOnTarget ?? 0);
        var gained = DaqSpectra.GainedSince(histogram, since);
        var rates = gained.Select(c => livetime > 0 ? c / livetime : 0).ToArray();
        long? roi = histogram.Kind == HistogramKind.Npe ? SpectraRoutes.CountsBetween(histogram.Edges, gained) : null;
        double? roiRate = roi is { } r && livetime > 0 ? r / livetime : null;
        return TypedResults.Ok(new SpectrumRate(daqId, key, current.Totals.Run, since?.At ?? current.Totals.RunStartedAt, to, livetime, pot,
            histogram.Edges, rates, gained.Sum(), roi, roiRate));
    }

    private static SpectrumData ReferenceData(string daqId, string key, SpectrumReferenceInfo info, IReadOnlyList<double> edges, long[] counts)
    {
        var histogram = HistogramFromKey(key, edges, counts);
        var totals = new RunTotals(daqId, info.Run, info.SavedAt, info.SavedAt, 0, info.Triggers, info.LivetimeSeconds, info.ProtonsOnTarget, false);
        return new SpectrumData(DaqSpectra.Summarize(totals, histogram), edges, counts, info.Name);
    }

    private static Histogram HistogramFromKey(string key, IReadOnlyList<double> edges, long[] counts)
    {
        var match = KeyRegex().Match(key);
        if (match.Groups["pmt"].Success)
        {
            var pmt = match.Groups["pmt"].Value;
            return new Histogram(key, HistogramKind.SpeCharge, DaqChannels.SubDetectorOf(pmt), null, pmt, HistogramKeys.ChargeUnit, edges, counts);
        }

        var window = match.Groups["window"].Value == "signal" ? DaqWindow.Signal : DaqWindow.Pretrace;
        return new Histogram(key, HistogramKind.Npe, match.Groups["sd"].Value[0] - '0', window, null, HistogramKeys.NpeUnit, edges, counts);
    }

    private static async Task<(RunTotals Totals, Histogram Histogram)?> FindHistogramAsync(
        string daqId, string key, long? run, SpectraStore store, SpectraRepository repository, CancellationToken cancellationToken)
    {
        if (store.Find(daqId) is { } current && (run is null || run == current.Totals.Run))
        {
            return current.Histograms.TryGetValue(key, out var histogram) ? (current.Totals, histogram) : null;
        }

        return run is { } r ? await repository.GetLatestAsync(daqId, r, key, cancellationToken) : null;
    }

    private static async Task<(RunTotals Totals, IReadOnlyList<Histogram> Histograms)?> FindRunAsync(
        string daqId, long? run, SpectraStore store, SpectraRepository repository, CancellationToken cancellationToken)
    {
        if (store.Find(daqId) is { } current && (run is null || run == current.Totals.Run))
        {
            return (current.Totals, [.. current.Histograms.Values]);
        }

        return run is { } r ? await repository.GetRunAsync(daqId, r, cancellationToken) : null;
    }

    private static void CheckDaq(string daqId, Dictionary<string, string[]> errors)
    {
        if (!ProtocolRules.IsValidSourceId(daqId))
        {
            errors["daqId"] = ["A DAQ id is 1–32 lower-case letters, digits, '-' or '_'."];
        }
    }

    private static void CheckKey(string key, Dictionary<string, string[]> errors)
    {
        if (!IsValidKey(key))
        {
            errors["key"] = ["A histogram key is sdN.signal, sdN.pretrace (N = 1–4) or sdNa.spe / sdNb.spe."];
        }
    }

    private static long? ParseRun(string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var run) && run >= 0)
        {
            return run;
        }

        errors["run"] = ["run is a whole number ≥ 0."];
        return null;
    }

    [GeneratedRegex("^(sd(?<sd>[1-4])\\.(?<window>signal|pretrace)|(?<pmt>sd[1-4][ab])\\.spe)\\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyRegex();
}
