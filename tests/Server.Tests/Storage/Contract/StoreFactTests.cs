using System.Reflection;

namespace Clovers.Monitor.Server.Tests.Storage.Contract;

public sealed class StoreFactTests
{
    [Fact]
    public void ContractTests_AllOfThem_AreStoreFactsSoEachStoreDecidesWhetherTheyRun()
    {
        var tests = typeof(TimeSeriesStoreContract).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any())
            .ToList();

        Assert.NotEmpty(tests);
        Assert.All(tests, m => Assert.IsType<StoreFactAttribute>(m.GetCustomAttribute<FactAttribute>(inherit: true)));
    }

    [Fact]
    public void SkipReasonOf_SqliteContract_IsNullSoEveryContractTestRuns()
    {
        Assert.Null(StoreAvailabilityAttribute.SkipReasonOf(typeof(SqliteStoreContractTests)));
    }

    [Fact]
    public void SkipReasonOf_InfluxContract_FollowsTheEnvironment()
    {
        Assert.Equal(InfluxEnvironment.SkipReason, StoreAvailabilityAttribute.SkipReasonOf(typeof(InfluxStoreContractTests)));
    }
}
