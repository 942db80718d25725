using System.Net;
using System.Net.Sockets;
using Clovers.Monitor.Simulation.Drivers;
using Clovers.Monitor.Simulation.Instruments;

namespace Clovers.Monitor.Simulation.Tests.Control;

public sealed class ScpiHvSupplyTests
{
    [Fact]
    public async Task IdentifyAsync_Simulator_AnswersItsIdentity()
    {
        await using var supply = new SupplyOnLoopback();

        Assert.Equal(HvSupplySimulator.Identity, await supply.Driver.IdentifyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SetVoltageAsync_NewSetpoint_SupplyRampsAtTheSetRate()
    {
        await using var supply = new SupplyOnLoopback();
        await supply.Driver.SetRampAsync(3, 10, CancellationToken.None);
        await supply.Driver.SetVoltageAsync(3, 1550, CancellationToken.None);

        supply.Time.Advance(TimeSpan.FromSeconds(2));
        var midway = await supply.Driver.MeasureVoltageAsync(3, CancellationToken.None);
        supply.Time.Advance(TimeSpan.FromSeconds(10));
        var settled = await supply.Driver.MeasureVoltageAsync(3, CancellationToken.None);

        Assert.Equal(1520, midway, precision: 3);
        Assert.Equal(1550, settled, precision: 3);
        Assert.Equal(1550, await supply.Driver.GetSetpointAsync(3, CancellationToken.None));
    }

    [Fact]
    public async Task SetVoltageAsync_Commands_SimulatorRecordsExactlyTheLinesSent()
    {
        await using var supply = new SupplyOnLoopback();

        await supply.Driver.SetRampAsync(0, 12.5, CancellationToken.None);
        await supply.Driver.SetVoltageAsync(0, 1510, CancellationToken.None);
        await supply.Driver.SetOutputAsync(0, on: true, CancellationToken.None);

        Assert.Equal(["*CLS", "RAMP 0,12.5", "SYST:ERR?", "VOLT 0,1510", "SYST:ERR?", "OUTP 0,ON", "SYST:ERR?"], supply.Simulator.ReceivedCommands);
        Assert.Equal(["RAMP 0,12.5", "VOLT 0,1510", "OUTP 0,ON"], supply.Simulator.ReceivedSetCommands);
    }

    [Fact]
    public async Task SetVoltageAsync_AboveTheSupplyMaximum_ThrowsDataOutOfRangeAndKeepsTheSetpoint()
    {
        await using var supply = new SupplyOnLoopback();

        var error = await Assert.ThrowsAsync<ScpiException>(() => supply.Driver.SetVoltageAsync(1, 2500, CancellationToken.None).AsTask());

        Assert.Equal(ScpiErrors.DataOutOfRange, error.Code);
        Assert.Equal(1500, supply.Channels.Read(1).Setpoint);
    }

    [Fact]
    public async Task SetVoltageAsync_NoSuchChannel_ThrowsIllegalParameterValue()
    {
        await using var supply = new SupplyOnLoopback();

        var error = await Assert.ThrowsAsync<ScpiException>(() => supply.Driver.SetVoltageAsync(8, 1500, CancellationToken.None).AsTask());

        Assert.Equal(ScpiErrors.IllegalParameterValue, error.Code);
    }

    [Fact]
    public async Task MeasureCurrentMicroampsAsync_FifteenMegaohmLoad_AnswersOneHundredMicroampsAt1500Volts()
    {
        await using var supply = new SupplyOnLoopback();

        Assert.Equal(100, await supply.Driver.MeasureCurrentMicroampsAsync(2, CancellationToken.None), precision: 3);
    }

    [Fact]
    public async Task GetSetpointAsync_SupplyDoesNotAnswer_ThrowsTimeout()
    {
        await using var supply = new SupplyOnLoopback(timeoutSeconds: 0.3);
        supply.Simulator.Mute = true;

        await Assert.ThrowsAsync<TimeoutException>(() => supply.Driver.GetSetpointAsync(0, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task GetSetpointAsync_AfterATimeout_ReconnectsAndAnswers()
    {
        await using var supply = new SupplyOnLoopback(timeoutSeconds: 0.3);
        supply.Simulator.Mute = true;
        await Assert.ThrowsAsync<TimeoutException>(() => supply.Driver.GetSetpointAsync(0, CancellationToken.None).AsTask());
        supply.Simulator.Mute = false;

        Assert.Equal(1500, await supply.Driver.GetSetpointAsync(0, CancellationToken.None));
        Assert.Equal(2, supply.Driver.Connects);
    }

    [Fact]
    public async Task GetSetpointAsync_ConnectionDropped_ReconnectsOnTheNextCall()
    {
        await using var supply = new SupplyOnLoopback();
        await supply.Driver.IdentifyAsync(CancellationToken.None);
        supply.Simulator.DropConnections();

        // The first call after the drop may find the dead socket; the driver gives up that connection and the next call opens a new one.
        double? setpoint = null;
        for (var attempt = 0; attempt < 2 && setpoint is null; attempt++)
        {
            try
            {
                setpoint = await supply.Driver.GetSetpointAsync(0, CancellationToken.None);
            }
            catch (IOException)
            {
            }
        }

        Assert.Equal(1500, setpoint);
        Assert.Equal(2, supply.Driver.Connects);
    }

    [Fact]
    public async Task DisposeAsync_Twice_DoesNotThrow()
    {
        await using var supply = new SupplyOnLoopback();
        await supply.Driver.IdentifyAsync(CancellationToken.None);

        await supply.Driver.DisposeAsync();
        var second = await Record.ExceptionAsync(() => supply.Driver.DisposeAsync().AsTask());

        Assert.Null(second);
    }

    [Fact]
    public async Task IdentifyAsync_NobodyListening_ThrowsIOException()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var driver = new ScpiHvSupply(new ScpiConnectionOptions { Host = "127.0.0.1", Port = port, TimeoutSeconds = 1 });

        await Assert.ThrowsAsync<IOException>(() => driver.IdentifyAsync(CancellationToken.None).AsTask());
    }
}
