using Clovers.Monitor.Server.Exposure;

namespace Clovers.Monitor.Server.Tests.Exposure;

public sealed class ExposureOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(new ExposureOptionsValidator().Validate(null, new ExposureOptions()).Succeeded);
    }

    [Fact]
    public void Validate_BadStartWindowAndMass_ListsEveryProblem()
    {
        var result = new ExposureOptionsValidator().Validate(null, new ExposureOptions { Start = "last autumn", RecentWindowDays = 0, MassKilograms = -3 });

        Assert.Equal(3, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("Exposure:Start", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_IsoStart_Succeeds()
    {
        Assert.True(new ExposureOptionsValidator().Validate(null, new ExposureOptions { Start = "2026-10-01T00:00:00Z" }).Succeeded);
    }
}
