using System.Net;
using System.Net.Http.Json;
using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Physics;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Exposure;

/// <summary>A Server without the demo whose data taking began at a known minute, ten days ago.</summary>
public sealed class ExposureServerFactory : MonitorServerFactory
{
    public static readonly DateTimeOffset Start = FloorToMinute(DateTimeOffset.UtcNow.AddDays(-10));

    private static DateTimeOffset FloorToMinute(DateTimeOffset t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Exposure:Start", Start.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Exposure:RecentWindowDays", "1");
    }
}

public sealed class ExposureApiTests(ExposureServerFactory factory) : IClassFixture<ExposureServerFactory>
{
    private static readonly DateTimeOffset s_start = ExposureServerFactory.Start;
    private readonly HttpClient _http = factory.CreateClient();

    // Each test writes its own day, one reading a minute; days of different tests never overlap.
    private async Task WriteBeamAsync(DateTimeOffset from, TimeSpan length, Func<DateTimeOffset, double?> kilowatts)
    {
        var readings = new List<Reading>();
        for (var t = from; t < from + length; t += TimeSpan.FromMinutes(1))
        {
            if (kilowatts(t) is { } kw)
            {
                readings.Add(new Reading("beam.power", t, kw));
            }
        }

        await factory.Services.GetRequiredService<ITimeSeriesStore>().WriteAsync(readings, CancellationToken.None);
    }

    private Task<ExposureReport?> GetAsync(DateTimeOffset? from, DateTimeOffset? to) =>
        _http.GetFromJsonAsync(ExposureRoutes.Query(from, to), ApiJsonContext.Default.ExposureReport);

    private static double ThreeSignificantFigures(double value)
    {
        var scale = Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(value))) - 2);
        return Math.Round(value / scale) * scale;
    }

    [Fact]
    public async Task Get_OneDayAt140Kilowatts_Gives472E19ProtonsOnTarget()
    {
        var day = s_start.AddDays(1);
        await WriteBeamAsync(day, TimeSpan.FromDays(1), _ => 140);

        var report = await GetAsync(day, day.AddDays(1));

        Assert.Equal(4.72e19, ThreeSignificantFigures(report!.ProtonsOnTarget));
    }

    [Fact]
    public async Task Get_OneDayAt140Kilowatts_IsTwelveKilogramDaysWithTheScaledExpectations()
    {
        var day = s_start.AddDays(2);
        await WriteBeamAsync(day, TimeSpan.FromDays(1), _ => 140);

        var report = (await GetAsync(day, day.AddDays(1)))!;

        var expected = Sensitivity.Expected(Shared.Physics.Exposure.Steady(140, 1));
        Assert.Equal(12, report.KilogramDays, 1e-6);
        Assert.Equal(160.0 / 180, report.ExpectedCevns, 1e-6);
        Assert.Equal(833.0 / 180, report.ExpectedBackground, 1e-6);
        Assert.Equal(expected.Significance, report.Significance, 1e-6);
    }

    [Fact]
    public async Task Get_HalfTheDayUnrecorded_CountsTheGapAsNoBeam()
    {
        var day = s_start.AddDays(3);
        await WriteBeamAsync(day, TimeSpan.FromDays(1), t => t < day.AddHours(12) ? 140 : null);

        var report = (await GetAsync(day, day.AddDays(1)))!;

        Assert.Equal(Beam.ProtonsPerDay(140) / 2, report.ProtonsOnTarget, 1e-3 * Beam.ProtonsPerDay(140));
        Assert.Equal(0.5, report.LiveDays, 1e-3);
    }

    [Fact]
    public async Task Get_SteadyBeam_ProjectsFiveSigmaAtTheRecentAveragePower()
    {
        var day = s_start.AddDays(4);
        await WriteBeamAsync(day, TimeSpan.FromDays(1), _ => 140);

        var report = (await GetAsync(day, day.AddDays(1)))!;

        var five = report.Milestones.Single(m => m.Sigma == 5);
        var expectedWait = Sensitivity.TimeToReach(5, Shared.Physics.Exposure.Steady(140, 1), 140, 12)!.Value;
        Assert.Equal(140, report.RecentAverageKilowatts, 1e-6);
        Assert.False(five.Reached);
        Assert.Equal(day.AddDays(1) + expectedWait, five.At!.Value, TimeSpan.FromMinutes(1));
        Assert.Equal(5, report.Projected[^1].Significance, 1e-6);
    }

    [Fact]
    public async Task Get_BeamOffLately_HasNoProjectedDates()
    {
        var day = s_start.AddDays(5);
        await WriteBeamAsync(day, TimeSpan.FromDays(1), _ => 0);

        var report = (await GetAsync(day, day.AddDays(1)))!;

        Assert.All(report.Milestones, m => Assert.Null(m.At));
        Assert.Empty(report.Projected);
    }

    [Fact]
    public async Task Get_NoRange_StartsAtTheConfiguredDataTakingStart()
    {
        var report = (await GetAsync(null, null))!;

        Assert.Equal(s_start, report.From);
    }

    [Fact]
    public async Task Get_AccumulatedCurve_GrowsToTheSignificanceNow()
    {
        var day = s_start.AddDays(6);
        await WriteBeamAsync(day, TimeSpan.FromDays(1), _ => 140);

        var report = (await GetAsync(day, day.AddDays(1)))!;

        Assert.Equal(report.Significance, report.Accumulated[^1].Significance, 1e-9);
        Assert.True(report.Accumulated.Zip(report.Accumulated.Skip(1)).All(p => p.Second.Significance >= p.First.Significance));
    }

    [Fact]
    public async Task Get_FromAfterTo_Answers400()
    {
        var response = await _http.GetAsync(ExposureRoutes.Query(s_start.AddDays(1), s_start));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Get_MalformedFrom_Answers400NamingIt()
    {
        var response = await _http.GetAsync(ExposureRoutes.Exposure + "?from=yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("from", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
