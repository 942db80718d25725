using System.Net;
using System.Net.Http.Json;
using Clovers.Monitor.Server.Alarms.Persistence;
using Clovers.Monitor.Server.Control;
using Clovers.Monitor.Server.Logbook;
using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Server.Tests.Logbook;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Auth;
using Clovers.Monitor.Shared.Control;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Handover;

/// <summary>
/// A shift of stored synthetic data, yesterday 08:00–16:00 UTC: beam at 140 kW throughout, two LN2
/// refills, one HV setpoint change commanded through the monitor, one alarm raised and acknowledged,
/// another raised and left open.
/// </summary>
public sealed class HandoverReportTests(HandoverReportTests.ShiftFixture shift) : IClassFixture<HandoverReportTests.ShiftFixture>
{
    [Fact]
    public async Task Report_Beam_IsEightHoursAtNominal()
    {
        var report = await shift.ReportAsync();

        Assert.Equal(1120, report.Beam.EnergyKilowattHours, 1);
        Assert.Equal(8 * 5.46e14 * 3600, report.Beam.ProtonsOnTarget, 8 * 5.46e14 * 3600 * 1e-3);
        Assert.Equal(4, report.Beam.ExposureKilogramDays, 2);
    }

    [Fact]
    public async Task Report_Ln2_HasTwoRefillsAtTheirTimes()
    {
        var report = await shift.ReportAsync();

        Assert.Equal(2, report.Refills.Count);
        Assert.InRange(report.Refills[0].At, shift.From.AddHours(2).AddMinutes(-2), shift.From.AddHours(2).AddMinutes(1));
        Assert.InRange(report.Refills[1].At, shift.From.AddHours(5).AddMinutes(-2), shift.From.AddHours(5).AddMinutes(1));
    }

    [Fact]
    public async Task Report_Alarms_OneAcknowledgedAndOneStillOpen()
    {
        var report = await shift.ReportAsync();

        Assert.Equal(["handover.a", "handover.b"], report.Alarms.Raised.Select(a => a.RuleId));
        var acknowledged = Assert.Single(report.Alarms.Acknowledged);
        Assert.Equal("handover.a", acknowledged.RuleId);
        Assert.Equal("alice", acknowledged.User);
        Assert.Equal("handover.b", Assert.Single(report.Alarms.StillOpen).RuleId);
    }

    [Fact]
    public async Task Report_HvSetpoint_OneChange()
    {
        var report = await shift.ReportAsync();

        var change = Assert.Single(report.HvChanges);
        Assert.Equal("pmt.sd1a.hv.set", change.Channel);
        Assert.Equal(1500, change.FromVolts);
        Assert.Equal(1480, change.ToVolts);
    }

    [Fact]
    public async Task Report_HvSetpoint_NamesWhoCommandedIt()
    {
        var report = await shift.ReportAsync();

        var command = Assert.Single(report.HvChanges).Command;
        Assert.Equal(("carol", "handover-sd1a", 1480.0), (command?.User, command?.CommandId, command?.NewVolts));
    }

    [Fact]
    public async Task Html_HvSetpointChange_NamesWhoCommandedIt()
    {
        var html = await shift.Client.GetStringAsync(HandoverRoutes.For(shift.From, shift.To, "html"));

        Assert.Contains("<th>commanded</th>", html, StringComparison.Ordinal);
        Assert.Contains("by carol at 11:59:52", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_Logbook_HoldsTheEntriesOfTheShiftOnly()
    {
        var report = await shift.ReportAsync();

        Assert.Equal(["Shift note in the window"], report.Logbook.Select(e => e.Markdown));
    }

    [Fact]
    public async Task Html_IsAStandalonePrintablePage()
    {
        using var response = await shift.Client.GetAsync(HandoverRoutes.For(shift.From, shift.To, "html"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.Contains("1.57e19", html, StringComparison.Ordinal);
        Assert.Contains("LN2 refills (2)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markdown_SaysWhatHappened()
    {
        var markdown = await shift.Client.GetStringAsync(HandoverRoutes.For(shift.From, shift.To, "markdown"));

        Assert.Contains("2 refill(s).", markdown, StringComparison.Ordinal);
        Assert.Contains("Still open: 1", markdown, StringComparison.Ordinal);
        Assert.Contains("4.00 kg·days", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WithoutWindow_IsTheCurrentShift()
    {
        var report = await shift.Client.GetFromJsonAsync(HandoverRoutes.Report, ApiJsonContext.Default.HandoverReport);

        Assert.Equal(TimeSpan.FromHours(8), report!.To - report.From);
        Assert.Equal(0, report.From.UtcDateTime.Hour % 8);
        Assert.InRange(DateTimeOffset.UtcNow, report.From, report.To);
    }

    [Fact]
    public async Task Get_BadFormatAndReversedWindow_IsBadRequest()
    {
        using var response = await shift.Client.GetAsync(HandoverRoutes.For(shift.To, shift.From, "pdf"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>One Server holding the stored shift, shared by the tests above.</summary>
    public sealed class ShiftFixture : IAsyncLifetime
    {
        private readonly MonitorServerFactory _factory = new();

        public DateTimeOffset From { get; } = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-1).AddHours(8);

        public DateTimeOffset To => From.AddHours(8);

        public HttpClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Client = await _factory.CreateClientAsync(MonitorRoles.Viewer);
            var store = _factory.Services.GetRequiredService<ITimeSeriesStore>();
            var readings = new List<Reading>();
            var level = 80.0;
            for (var second = 0; second < 8 * 3600; second += 10)
            {
                var at = From.AddSeconds(second);
                readings.Add(new Reading("beam.power", at, 140));
                var minute = second / 60;
                var refilling = minute is >= 120 and < 130 || minute is >= 300 and < 310;
                level += refilling ? 2.0 / 6 : -0.02 / 6;
                readings.Add(new Reading("cryo.ln2.level", at, level));
                readings.Add(new Reading("pmt.sd1a.hv.set", at, second < 4 * 3600 ? 1500 : 1480));
                readings.Add(new Reading("pmt.sd1b.hv.set", at, 1500));
            }

            await store.WriteAsync(readings, CancellationToken.None);

            await _factory.Services.GetRequiredService<AlarmStore>().AppendAsync(
                [
                    LogbookApiTests.Transition("handover.a", AlarmState.Normal, AlarmState.ActiveUnacknowledged, From.AddHours(1), AlarmHistoryReader.SystemUser, null),
                    LogbookApiTests.Transition("handover.a", AlarmState.ActiveUnacknowledged, AlarmState.ActiveAcknowledged, From.AddHours(1).AddMinutes(10), "alice", "LN2 valve checked"),
                    LogbookApiTests.Transition("handover.a", AlarmState.ActiveAcknowledged, AlarmState.Normal, From.AddHours(1).AddMinutes(30), AlarmHistoryReader.SystemUser, null),
                    LogbookApiTests.Transition("handover.b", AlarmState.Normal, AlarmState.ActiveUnacknowledged, From.AddHours(3), AlarmHistoryReader.SystemUser, null),
                ],
                [],
                CancellationToken.None);

            // The change to 1480 V at 12:00 came through the monitor's HV control; one of another PMT did not change anything.
            var commands = _factory.Services.GetRequiredService<ControlCommandStore>();
            await commands.SaveAsync(
                new ControlCommandView("handover-sd1a", "platform-sim", "sd1a", 1500, 1480, ControlOutcome.Accepted, null, "carol", From.AddHours(4).AddSeconds(-10), From.AddHours(4).AddSeconds(-8)),
                CancellationToken.None);
            await commands.SaveAsync(
                new ControlCommandView("handover-sd2a", "platform-sim", "sd2a", 1500, 1490, ControlOutcome.Refused, "step too large", "carol", From.AddHours(4), From.AddHours(4)),
                CancellationToken.None);

            var logbook = _factory.Services.GetRequiredService<LogbookStore>();
            await logbook.AddAsync(From.AddHours(4), "bob", "Shift note in the window", [], [], CancellationToken.None);
            await logbook.AddAsync(To.AddHours(1), "bob", "Note of the next shift", [], [], CancellationToken.None);
        }

        public async Task<HandoverReport> ReportAsync() =>
            (await Client.GetFromJsonAsync(HandoverRoutes.For(From, To), ApiJsonContext.Default.HandoverReport))!;

        public async Task DisposeAsync()
        {
            Client.Dispose();
            await _factory.DisposeAsync();
        }
    }
}
