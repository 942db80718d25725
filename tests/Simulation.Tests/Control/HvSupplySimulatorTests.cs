using Clovers.Monitor.Simulation.Instruments;
using Microsoft.Extensions.Time.Testing;

namespace Clovers.Monitor.Simulation.Tests.Control;

public sealed class HvSupplySimulatorTests
{
    private static HvSupplySimulator NewSimulator() =>
        new(new HvChannelBank(8, 1500, 50, 2000, new FakeTimeProvider()), loadMegaohms: 15);

    [Fact]
    public async Task Execute_UnknownHeader_QueuesUndefinedHeaderError()
    {
        await using var simulator = NewSimulator();

        Assert.Null(simulator.Execute("VOLTAGE:FLY 0,100"));

        Assert.Equal("-113,\"Undefined header\"", simulator.Execute("SYST:ERR?"));
        Assert.Equal("0,\"No error\"", simulator.Execute("SYST:ERR?"));
    }

    [Fact]
    public async Task Execute_VoltWithoutValue_QueuesMissingParameterAndChangesNothing()
    {
        await using var simulator = NewSimulator();

        simulator.Execute("VOLT 0");

        Assert.StartsWith("-109,", simulator.Execute("SYST:ERR?"), StringComparison.Ordinal);
        Assert.Equal("1500", simulator.Execute("VOLT? 0"));
    }

    [Fact]
    public async Task Execute_NotANumber_QueuesDataTypeError()
    {
        await using var simulator = NewSimulator();

        simulator.Execute("VOLT 0,lots");

        Assert.StartsWith("-104,", simulator.Execute("SYST:ERR?"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_OutputOff_RampsTheChannelDown()
    {
        var time = new FakeTimeProvider();
        await using var simulator = new HvSupplySimulator(new HvChannelBank(8, 1500, 50, 2000, time), loadMegaohms: 15);

        simulator.Execute("OUTP 5,OFF");
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("0", simulator.Execute("OUTP? 5"));
        Assert.Equal("1000", simulator.Execute("MEAS:VOLT? 5"));
    }
}
