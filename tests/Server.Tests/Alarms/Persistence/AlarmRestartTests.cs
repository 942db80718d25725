using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Tests.Alarms.Api;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Tests.Alarms.Persistence;

public sealed class AlarmRestartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("clovers-alarm-restart-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Restart_SameDataDirectory_KeepsRuleEditsAlarmStatesAndHistory()
    {
        AlarmRule[] rules = [AlarmApiClient.Silence("restart.silence"), new LimitRule("restart.limit", "Edited limit", AlarmSeverity.Warning, "test.value") { High = 42 }];
        string alarmId;
        using (var first = new FixedDirectoryServerFactory(_directory))
        {
            var http = await first.CreateClientAsync(AuthPolicies.Expert);
            Assert.True((await http.PutRulesAsync(rules)).IsSuccessStatusCode);
            alarmId = (await http.ActiveAlarmAsync("restart.silence"))!.AlarmId;
            await (await http.AcknowledgeAsync("restart.silence", "before the restart")).ReadViewAsync();
        }

        using var second = new FixedDirectoryServerFactory(_directory);
        var again = second.CreateClient();
        var loaded = await again.GetRulesAsync();
        var active = await again.ActiveAsync();
        var history = await again.HistoryAsync("?ruleId=restart.silence");

        Assert.Equal(rules, loaded);
        var alarm = Assert.Single(active, a => a.RuleId == "restart.silence");
        Assert.Equal(AlarmState.ActiveAcknowledged, alarm.State);
        Assert.Equal(alarmId, alarm.AlarmId);
        Assert.Equal(["before the restart", null], history.Select(h => h.Comment));
    }
}
