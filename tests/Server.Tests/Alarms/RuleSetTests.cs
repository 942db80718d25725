using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Tests.Alarms;

public sealed class RuleSetTests
{
    private const string Temp = "cryo.temp.sd1";
    private static readonly LimitRule HighTemp = new("cryo.temp.sd1.high", "Crystal 1 hot", AlarmSeverity.Major, Temp) { High = 80 };

    [Fact]
    public void Validate_BadRule_ListsEveryProblem()
    {
        var rule = new LimitRule("Bad Id", "", AlarmSeverity.Major, "not a channel") { Deadband = -1 };

        var problems = RuleValidator.Validate(rule);

        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.Contains("dotted lower-case", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("name is empty", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("not a valid channel id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("high or a low threshold", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("deadband", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_LowAboveHigh_Refused() =>
        Assert.Contains("must be below", Assert.Single(RuleValidator.Validate(HighTemp with { Low = 90 })), StringComparison.Ordinal);

    [Fact]
    public void Validate_StaleWithChannelAndAgent_Refused() =>
        Assert.Contains("exactly one", Assert.Single(RuleValidator.Validate(
            new StaleRule("x.stale", "Stale", AlarmSeverity.Warning) { Channel = Temp, AgentId = "platform-1", MaxSilence = TimeSpan.FromSeconds(5) })), StringComparison.Ordinal);

    [Fact]
    public void Validate_SetpointWithNeitherLimit_Refused() =>
        Assert.Contains("exactly one", Assert.Single(RuleValidator.Validate(
            new SetpointDeviationRule("pmt.sd1a.hv.dev", "Dev", AlarmSeverity.Warning, "pmt.sd1a.hv.read", "pmt.sd1a.hv.set"))), StringComparison.Ordinal);

    [Fact]
    public void Validate_BaselineLowFactorAboveOne_Refused() =>
        Assert.Contains("between 0 and 1", Assert.Single(RuleValidator.Validate(
            new BaselineRule("veto.rate.dev", "Veto", AlarmSeverity.Warning, "veto.rate") { LowFactor = 1.3 })), StringComparison.Ordinal);

    [Fact]
    public void ValidateAll_DuplicateIds_Refused() =>
        Assert.Contains("more than one rule", Assert.Single(RuleValidator.ValidateAll([HighTemp, HighTemp]).Problems), StringComparison.Ordinal);

    [Fact]
    public void ReplaceRules_OneInvalid_KeepsOldSet()
    {
        var h = new EngineHarness(HighTemp);

        var result = h.Engine.ReplaceRules([HighTemp with { Id = "cryo.temp.sd1.other" }, HighTemp with { Id = "BAD" }]);

        Assert.False(result.IsValid);
        Assert.Equal([HighTemp], h.Engine.Rules);
    }

    [Fact]
    public void ReplaceRules_SameRuleAgain_KeepsAlarmState()
    {
        var h = new EngineHarness(HighTemp);
        h.Feed(Temp, 81);

        h.Engine.ReplaceRules([HighTemp]);

        Assert.Equal(AlarmState.ActiveUnacknowledged, h.StateOf(HighTemp.Id));
    }

    [Fact]
    public void ReplaceRules_RuleRemoved_AlarmReturnsToNormal()
    {
        var h = new EngineHarness(HighTemp);
        h.Feed(Temp, 81);

        h.Engine.ReplaceRules([]);

        var t = h.Transitions[^1];
        Assert.Equal((AlarmState.ActiveUnacknowledged, AlarmState.Normal), (t.From, t.To));
        Assert.Empty(h.Engine.Active);
    }

    [Fact]
    public void ReplaceRules_Disabled_NotEvaluated()
    {
        var h = new EngineHarness(HighTemp with { Enabled = false });

        h.Feed(Temp, 81);

        Assert.Empty(h.Transitions);
    }
}

public sealed class RuleJsonTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    [Fact]
    public void Json_DefaultRules_RoundTripUnchanged()
    {
        var rules = DefaultRules.Create(new Server.Alarms.AlarmOptions());

        var back = System.Text.Json.JsonSerializer.Deserialize<List<AlarmRule>>(System.Text.Json.JsonSerializer.Serialize(rules, Json), Json)!;

        Assert.Equal(rules, back);
    }

    [Fact]
    public void Json_Rule_CarriesKindDiscriminator() =>
        Assert.Contains("\"kind\":\"limit\"", System.Text.Json.JsonSerializer.Serialize<AlarmRule>(
            new LimitRule("cryo.temp.sd1.high", "Hot", AlarmSeverity.Major, "cryo.temp.sd1") { High = 80 }, Json), StringComparison.Ordinal);
}
