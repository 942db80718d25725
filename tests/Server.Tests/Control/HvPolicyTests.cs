using Clovers.Monitor.Server.Control;

namespace Clovers.Monitor.Server.Tests.Control;

public sealed class HvPolicyTests
{
    private static readonly HvControlOptions Options = new() { MaxVolts = 1650, MaxStepVolts = 50, RampVoltsPerSecond = 10 };

    [Fact]
    public void Refusal_WithinMaximumAndStep_AllowsIt() =>
        Assert.Null(HvPolicy.Refusal("sd1a", 1540, 1500, Options));

    [Fact]
    public void Refusal_AboveConfiguredMaximum_SaysSo()
    {
        var reason = HvPolicy.Refusal("sd1a", 1660, 1640, Options);

        Assert.Equal("1660 V is above the configured maximum of 1650 V", reason);
    }

    [Fact]
    public void Refusal_StepLargerThanMaximumStep_SaysSo()
    {
        var reason = HvPolicy.Refusal("sd1a", 1560, 1500, Options);

        Assert.Equal("a step of 60 V (from 1500 V to 1560 V) is larger than the maximum step of 50 V", reason);
    }

    [Fact]
    public void Refusal_StepDownLargerThanMaximumStep_SaysSo() =>
        Assert.NotNull(HvPolicy.Refusal("sd1a", 1400, 1500, Options));

    [Fact]
    public void Refusal_CurrentSetpointUnknown_RefusesBecauseTheStepCannotBeChecked() =>
        Assert.Contains("not known", HvPolicy.Refusal("sd1a", 1500, null, Options), StringComparison.Ordinal);

    [Fact]
    public void Refusal_UnknownPmt_NamesTheKnownOnes() =>
        Assert.Contains("sd4b", HvPolicy.Refusal("sd5a", 1500, 1500, Options), StringComparison.Ordinal);

    [Fact]
    public void Refusal_NegativeVoltage_Refuses() =>
        Assert.NotNull(HvPolicy.Refusal("sd1a", -5, 10, Options));
}
