using Clovers.Monitor.Server.Control;

namespace Clovers.Monitor.Server.Tests.Control;

public sealed class HvControlOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds() =>
        Assert.True(new HvControlOptionsValidator().Validate(null, new HvControlOptions()).Succeeded);

    [Fact]
    public void Validate_SeveralBadValues_ListsEveryProblem()
    {
        var result = new HvControlOptionsValidator().Validate(null, new HvControlOptions { MaxVolts = 1800, MaxStepVolts = 0, ReplyTimeoutSeconds = 0 });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures, f => f.Contains("MaxVolts", StringComparison.Ordinal) && f.Contains("1750", StringComparison.Ordinal));
        Assert.Contains(result.Failures, f => f.Contains("MaxStepVolts", StringComparison.Ordinal));
        Assert.Contains(result.Failures, f => f.Contains("ReplyTimeoutSeconds", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RampTooSlowForTheLargestStep_Fails()
    {
        var result = new HvControlOptionsValidator().Validate(null, new HvControlOptions { MaxStepVolts = 50, RampVoltsPerSecond = 0.2 });

        Assert.True(result.Failed);
    }
}
