using Clovers.Monitor.Server.Handover;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Control;

namespace Clovers.Monitor.Server.Tests.Handover;

public sealed class HandoverCalculationsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Beam_EightHoursAtNominal_GivesProtonsOnTargetAndExposure()
    {
        var buckets = Constant(8 * 60, 140);

        var beam = HandoverCalculations.Beam(buckets, Minute, new HandoverOptions());

        Assert.Equal(1120, beam.EnergyKilowattHours, 6);
        Assert.Equal(8 * 3600 * 5.46e14, beam.ProtonsOnTarget, 8 * 3600 * 5.46e14 * 1e-3);
        Assert.Equal(4, beam.ExposureKilogramDays, 6);
        Assert.Equal(8, beam.BeamOnHours, 6);
    }

    [Fact]
    public void Beam_Gaps_AddNothingAndShortenTheCoverage()
    {
        var buckets = Constant(60, 140).Concat(Enumerable.Range(60, 60).Select(i => new HistoryBucket(T0 + (i * Minute), null, null, null, null, 0))).ToList();

        var beam = HandoverCalculations.Beam(buckets, Minute, new HandoverOptions());

        Assert.Equal(140, beam.EnergyKilowattHours, 6);
        Assert.Equal(1, beam.CoveredHours, 6);
    }

    [Fact]
    public void Refills_TwoRisesInADecliningLevel_AreCountedWithTheirStart()
    {
        var levels = new List<double>();
        var level = 80.0;
        for (var minute = 0; minute < 8 * 60; minute++)
        {
            var refilling = minute is >= 120 and < 130 || minute is >= 300 and < 310;
            level += refilling ? 2 : -0.02;
            levels.Add(level);
        }

        var refills = HandoverCalculations.Refills(Buckets(levels), 5);

        Assert.Equal(2, refills.Count);
        Assert.Equal(T0.AddMinutes(119), refills[0].At);
        Assert.Equal(T0.AddMinutes(299), refills[1].At);
        Assert.True(refills[0].ToPercent - refills[0].FromPercent > 19);
    }

    [Fact]
    public void Refills_NoiseBelowTheThreshold_IsNoRefill()
    {
        var levels = Enumerable.Range(0, 480).Select(i => 70 + (i % 2 == 0 ? 1.5 : -1.5)).ToList();

        Assert.Empty(HandoverCalculations.Refills(Buckets(levels), 5));
    }

    [Fact]
    public void SetpointChanges_OneStep_IsOneChangeWithBothValues()
    {
        var values = Enumerable.Range(0, 60).Select(i => i < 30 ? 1500.0 : 1480.0).ToList();

        var change = Assert.Single(HandoverCalculations.SetpointChanges("pmt.sd1a.hv.set", Buckets(values), 0.5));

        Assert.Equal(T0.AddMinutes(30), change.At);
        Assert.Equal(1500, change.FromVolts);
        Assert.Equal(1480, change.ToVolts);
    }

    [Fact]
    public void AttributeCommands_CommandAcceptedShortlyBefore_NamesWhoCommandedIt()
    {
        var change = new HandoverHvChange("pmt.sd1a.hv.set", T0.AddMinutes(30), 1500, 1480);

        var attributed = Assert.Single(Attribute(change, Command("sd1a", 1480, T0.AddMinutes(29).AddSeconds(50))));

        Assert.Equal(("carol", "c-sd1a", 1500.0, 1480.0), (attributed.Command!.User, attributed.Command.CommandId, attributed.Command.OldVolts, attributed.Command.NewVolts));
    }

    [Fact]
    public void AttributeCommands_NoCommand_LeavesTheChangeWithoutOne()
    {
        var change = new HandoverHvChange("pmt.sd1a.hv.set", T0.AddMinutes(30), 1500, 1480);

        Assert.Null(Assert.Single(Attribute(change)).Command);
    }

    [Fact]
    public void AttributeCommands_CommandOfAnotherPmt_DoesNotMatch()
    {
        var change = new HandoverHvChange("pmt.sd1a.hv.set", T0.AddMinutes(30), 1500, 1480);

        Assert.Null(Assert.Single(Attribute(change, Command("sd1b", 1480, T0.AddMinutes(29).AddSeconds(50)))).Command);
    }

    [Fact]
    public void AttributeCommands_CommandLongerBeforeThanTheTolerance_DoesNotMatch()
    {
        var change = new HandoverHvChange("pmt.sd1a.hv.set", T0.AddMinutes(30), 1500, 1480);

        Assert.Null(Assert.Single(Attribute(change, Command("sd1a", 1480, T0.AddMinutes(27)))).Command);
    }

    [Fact]
    public void AttributeCommands_RefusedCommand_DoesNotMatch()
    {
        var change = new HandoverHvChange("pmt.sd1a.hv.set", T0.AddMinutes(30), 1500, 1480);

        Assert.Null(Assert.Single(Attribute(change, Command("sd1a", 1480, T0.AddMinutes(30)) with { Outcome = ControlOutcome.Refused })).Command);
    }

    [Fact]
    public void AttributeCommands_TwoChangesOneCommand_ExplainsOnlyTheChangeToItsValue()
    {
        var up = new HandoverHvChange("pmt.sd1a.hv.set", T0.AddMinutes(30), 1480, 1500);
        var down = new HandoverHvChange("pmt.sd1a.hv.set", T0.AddMinutes(31), 1500, 1480);

        var attributed = Attribute([up, down], Command("sd1a", 1480, T0.AddMinutes(30).AddSeconds(40)));

        Assert.Equal([null, "carol"], attributed.Select(c => c.Command?.User));
    }

    [Fact]
    public void ToMarkdown_ChangeWithoutCommand_SaysNotViaTheMonitor()
    {
        var report = new HandoverReport(T0, T0.AddHours(8), T0.AddHours(8), new HandoverAlarms([], [], []), new HandoverBeam(0, 0, 0, 0, 0, 0), [],
            [new HandoverHvChange("pmt.sd2b.hv.set", T0.AddHours(1), 1500, 1490)], []);

        Assert.Contains("pmt.sd2b.hv.set: 1500.0 V → 1490.0 V, not via the monitor", HandoverDocument.ToMarkdown(report), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(7, 0, 8)]
    [InlineData(8, 8, 16)]
    [InlineData(23, 16, 24)]
    public void ShiftAt_DefaultBoundaries_FindsTheShift(int hour, int startHour, int endHour)
    {
        var (start, end) = new HandoverOptions().ShiftAt(T0.Date.AddHours(hour).AddMinutes(30));

        Assert.Equal(new DateTimeOffset(T0.Date, TimeSpan.Zero).AddHours(startHour), start);
        Assert.Equal(new DateTimeOffset(T0.Date, TimeSpan.Zero).AddHours(endHour), end);
    }

    [Fact]
    public void ShiftAt_BeforeTheFirstBoundaryOfTheDay_IsYesterdaysLastShift()
    {
        var (start, end) = new HandoverOptions { ShiftStartHoursUtc = [6, 18] }.ShiftAt(T0.Date.AddHours(3));

        Assert.Equal(new DateTimeOffset(T0.Date, TimeSpan.Zero).AddHours(-6), start);
        Assert.Equal(new DateTimeOffset(T0.Date, TimeSpan.Zero).AddHours(6), end);
    }

    [Fact]
    public void Validate_BadHoursAndEmailWithoutRecipients_ListsBoth()
    {
        var result = new HandoverOptionsValidator().Validate(null, new HandoverOptions { ShiftStartHoursUtc = [25], EmailAtShiftEnd = true });

        Assert.Contains(result.Failures!, f => f.Contains("ShiftStartHoursUtc", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("EmailRecipients", StringComparison.Ordinal));
    }

    private static IReadOnlyList<HandoverHvChange> Attribute(HandoverHvChange change, params ControlCommandView[] commands) => Attribute([change], commands);

    private static IReadOnlyList<HandoverHvChange> Attribute(IReadOnlyList<HandoverHvChange> changes, params ControlCommandView[] commands) =>
        HandoverCalculations.AttributeCommands(changes, commands, Minute, TimeSpan.FromMinutes(2), 0.5);

    private static ControlCommandView Command(string pmt, double volts, DateTimeOffset acceptedAt) =>
        new("c-" + pmt, "platform-1", pmt, 1500, volts, ControlOutcome.Accepted, null, "carol", acceptedAt.AddSeconds(-2), acceptedAt);

    private static List<HistoryBucket> Constant(int minutes, double value) =>
        Buckets(Enumerable.Repeat(value, minutes).ToList());

    private static List<HistoryBucket> Buckets(IReadOnlyList<double> values) =>
        values.Select((v, i) => new HistoryBucket(T0 + (i * Minute), v, v, v, v, 1)).ToList();
}
