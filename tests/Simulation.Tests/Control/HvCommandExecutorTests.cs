using Clovers.Monitor.Shared.Control;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Agent;
using Clovers.Monitor.Simulation.Drivers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Simulation.Tests.Control;

public sealed class HvCommandExecutorTests
{
    private static HvCommandExecutor NewExecutor(SupplyOnLoopback supply) =>
        new(new HvControlOptions { Enabled = true, Supply = supply.Connection }, supply.Driver, supply.Time, NullLogger.Instance);

    private static ControlRequest SetHv(string pmt, double volts, string? commandId = null, double ramp = 10) =>
        new(ProtocolRules.SchemaVersion, ControlCommands.SetHv, DateTimeOffset.UnixEpoch, commandId ?? Guid.NewGuid().ToString("N"), pmt, volts, ramp);

    [Fact]
    public async Task HandleAsync_WithinLimits_AcceptsAndReportsThePreviousSetpoint()
    {
        await using var supply = new SupplyOnLoopback();
        using var executor = NewExecutor(supply);

        var reply = await executor.HandleAsync(SetHv("sd2b", 1520), CancellationToken.None);

        Assert.Equal(ControlOutcome.Accepted, reply.Outcome);
        Assert.Equal(1500, reply.PreviousVolts);
        Assert.Equal(1520, supply.Channels.Read(3).Setpoint);
        Assert.Equal(["RAMP 3,10", "VOLT 3,1520"], supply.Simulator.ReceivedSetCommands);
    }

    [Fact]
    public async Task HandleAsync_AboveTheAgentHardLimit_RefusesWithTheReasonAndSendsNothingToTheSupply()
    {
        await using var supply = new SupplyOnLoopback();
        using var executor = NewExecutor(supply);

        var reply = await executor.HandleAsync(SetHv("sd1a", 1800), CancellationToken.None);

        Assert.Equal(ControlOutcome.Refused, reply.Outcome);
        Assert.Contains("hard limit of 1750 V", reply.Reason, StringComparison.Ordinal);
        Assert.Empty(supply.Simulator.ReceivedCommands);
        Assert.Equal(1500, supply.Channels.Read(0).Setpoint);
    }

    [Fact]
    public async Task HandleAsync_RampAboveTheAgentLimit_Refuses()
    {
        await using var supply = new SupplyOnLoopback();
        using var executor = NewExecutor(supply);

        var reply = await executor.HandleAsync(SetHv("sd1a", 1510, ramp: 400), CancellationToken.None);

        Assert.Equal(ControlOutcome.Refused, reply.Outcome);
        Assert.Empty(supply.Simulator.ReceivedCommands);
    }

    [Fact]
    public async Task HandleAsync_UnknownPmt_Refuses()
    {
        await using var supply = new SupplyOnLoopback();
        using var executor = NewExecutor(supply);

        var reply = await executor.HandleAsync(SetHv("sd9z", 1500), CancellationToken.None);

        Assert.Equal(ControlOutcome.Refused, reply.Outcome);
        Assert.Contains("sd9z", reply.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_SameCommandIdTwice_SupplyReceivesOneVoltCommandAndTheRepeatGetsTheFirstResult()
    {
        await using var supply = new SupplyOnLoopback();
        using var executor = NewExecutor(supply);

        var first = await executor.HandleAsync(SetHv("sd4a", 1530, "retry-1"), CancellationToken.None);
        var second = await executor.HandleAsync(SetHv("sd4a", 1530, "retry-1"), CancellationToken.None);

        Assert.Single(supply.Simulator.ReceivedCommands, line => line.StartsWith("VOLT ", StringComparison.Ordinal));
        Assert.Equal(first with { Repeated = true }, second);
    }

    [Fact]
    public async Task HandleAsync_SupplyUnreachable_FailsWithTheReason()
    {
        await using var supply = new SupplyOnLoopback();
        var unreachable = new ScpiConnectionOptions { Host = "127.0.0.1", Port = supply.Simulator.EndPoint.Port, TimeoutSeconds = 0.3 };
        await supply.Simulator.DisposeAsync();
        await using var driver = new ScpiHvSupply(unreachable);
        using var executor = new HvCommandExecutor(new HvControlOptions { Enabled = true, Supply = unreachable }, driver, supply.Time, NullLogger.Instance);

        var reply = await executor.HandleAsync(SetHv("sd1a", 1510), CancellationToken.None);

        Assert.Equal(ControlOutcome.Failed, reply.Outcome);
        Assert.Contains("unreachable", reply.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_ControlDisabled_Refuses()
    {
        await using var supply = new SupplyOnLoopback();
        using var executor = new HvCommandExecutor(new HvControlOptions { Enabled = false }, supply.Driver, supply.Time, NullLogger.Instance);

        var reply = await executor.HandleAsync(SetHv("sd1a", 1510), CancellationToken.None);

        Assert.Equal(ControlOutcome.Refused, reply.Outcome);
        Assert.Empty(supply.Simulator.ReceivedCommands);
    }
}
