using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Spectra;

namespace Clovers.Monitor.Server.Tests.Spectra;

public sealed class SpectraConfigurationTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new SpectraOptionsValidator().Validate(null, new SpectraOptions()).Succeeded);
    }

    [Fact]
    public void Validate_BadValues_ListsEveryProblem()
    {
        var options = new SpectraOptions
        {
            SnapshotRetentionDays = 0,
            SnapshotIntervalMinutes = double.NaN,
            ReferenceGains = new(StringComparer.Ordinal) { ["sd9z"] = -1 },
        };

        var result = new SpectraOptionsValidator().Validate(null, options);

        Assert.Equal(4, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("SnapshotRetentionDays", StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultRules_WithADaq_AreValidAndWatchItsChannels()
    {
        var rules = DefaultRules.Create(new AlarmOptions { Daqs = ["daq-sim"] });

        Assert.True(RuleValidator.ValidateAll(rules).IsValid);
        Assert.Contains(rules, r => r.Id == "daq.daq-sim.silent-warn");
        Assert.Contains(rules, r => r.Channels.Contains("daq.daq-sim.trigger_rate"));
        Assert.Contains(rules, r => r.Channels.Contains("pmt.sd4b.gain_drift"));
        Assert.Contains(rules, r => r.Channels.Contains("daq.daq-sim.sd3.shape_chi2"));
    }

    [Fact]
    public void DefaultRules_WithoutDaqs_HaveNoDaqRule()
    {
        Assert.DoesNotContain(DefaultRules.Create(new AlarmOptions()), r => r.Id.StartsWith("daq.", StringComparison.Ordinal));
    }
}
