using Clovers.Monitor.Simulation.Drivers;
using Clovers.Monitor.Simulation.Instruments;
using Microsoft.Extensions.Time.Testing;

namespace Clovers.Monitor.Simulation.Tests.Control;

/// <summary>An SCPI supply simulator on a free loopback port with eight channels at 1500 V, and a driver connected to it.</summary>
internal sealed class SupplyOnLoopback : IAsyncDisposable
{
    public const double MaxVolts = 2000;

    public SupplyOnLoopback(double timeoutSeconds = 2)
    {
        Channels = new HvChannelBank(8, 1500, 50, MaxVolts, Time);
        Simulator = new HvSupplySimulator(Channels, loadMegaohms: 15);
        Simulator.Start();
        Connection = new ScpiConnectionOptions { Host = "127.0.0.1", Port = Simulator.EndPoint.Port, TimeoutSeconds = timeoutSeconds };
        Driver = new ScpiHvSupply(Connection);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 20, 0, 0, TimeSpan.Zero));

    public HvChannelBank Channels { get; }

    public HvSupplySimulator Simulator { get; }

    public ScpiConnectionOptions Connection { get; }

    public ScpiHvSupply Driver { get; }

    public async ValueTask DisposeAsync()
    {
        await Driver.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
