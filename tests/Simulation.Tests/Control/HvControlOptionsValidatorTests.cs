using Clovers.Monitor.Simulation.Agent;

namespace Clovers.Monitor.Simulation.Tests.Control;

public sealed class HvControlOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds() =>
        Assert.True(new HvControlOptionsValidator().Validate(null, new HvControlOptions()).Succeeded);

    [Fact]
    public void Validate_HardLimitAboveTheTubeMaximum_Fails()
    {
        var result = new HvControlOptionsValidator().Validate(null, new HvControlOptions { HardMaxVolts = 1800 });

        Assert.Contains(result.Failures!, f => f.Contains("1750", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EnabledWithBadSupplyAndTwoPmtsOnOneChannel_ListsEveryProblem()
    {
        var options = new HvControlOptions { Enabled = true, Channels = new(StringComparer.Ordinal) { ["sd1a"] = 0, ["sd1b"] = 0 } };
        options.Supply.Port = 0;

        var result = new HvControlOptionsValidator().Validate(null, options);

        Assert.Equal(2, result.Failures!.Count());
    }
}
