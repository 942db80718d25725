using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Tests.Integration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Tests.Alarms;

public sealed class AlarmTimerTests
{
    [Fact]
    public async Task Timer_SilentAgent_RaisesStaleAlarmWithoutReadings()
    {
        var time = new FakeTimeProvider(EngineHarness.Start);
        var options = Options.Create(new AlarmOptions());
        var engine = new AlarmEngine(options, time, []);
        engine.ReplaceRules([new StaleRule("agent.platform-1.silent", "Silent", AlarmSeverity.Warning) { AgentId = "platform-1", MaxSilence = TimeSpan.FromSeconds(30) }]);
        using var timer = new AlarmTimer(engine, options, time, NullLogger<AlarmTimer>.Instance);
        await timer.StartAsync(CancellationToken.None);

        var state = await Eventually.ReturnsAsync(
            () =>
            {
                time.Advance(TimeSpan.FromSeconds(1));
                return Task.FromResult(engine.Find("agent.platform-1.silent")!.State);
            },
            s => s == AlarmState.ActiveUnacknowledged);
        await timer.StopAsync(CancellationToken.None);

        Assert.Equal(AlarmState.ActiveUnacknowledged, state);
    }
}
