using Clovers.Monitor.EndToEnd.Tests.Infrastructure;

namespace Clovers.Monitor.EndToEnd.Tests.ScaleOut;

/// <summary>
/// Two Servers scaled out as docs/scaling.md describes: one mosquitto, one Redis backplane, one
/// shared-subscription group, each Server with its own data folder and MQTT client id. Each
/// watches the heartbeat of a different agent that never speaks, so an alarm can only be raised
/// by one of them. B is started first, so a browser can connect to it before A raises anything.
/// </summary>
public sealed class ScaleOutFixture : IAsyncLifetime
{
    public const string SharedGroup = "clovers-e2e";
    public const string SilentAgentOfA = "ghost-a";
    public const string SilentAgentOfB = "ghost-b";

    public MosquittoFixture Broker { get; } = new();

    public RedisFixture Redis { get; } = new();

    public ServerProcess? B { get; private set; }

    public ServerSettings SettingsOf(string instance, string silentAgent) =>
        ServerSettings.External(Broker.Port) with
        {
            ExtraArguments =
            [
                "--Mqtt:ClientId=clovers-server-" + instance,
                "--Mqtt:SharedSubscriptionGroup=" + SharedGroup,
                "--Live:Redis=" + Redis.ConnectionString,
                "--Alarms:Agents:0=" + silentAgent,
            ],
        };

    public Task<ServerProcess> StartAAsync() => ServerProcess.StartAsync(SettingsOf("a", SilentAgentOfA));

    public async Task InitializeAsync()
    {
        if (RedisFixture.SkipReason is not null)
        {
            return;
        }

        await Redis.InitializeAsync();
        await Broker.InitializeAsync();
        B = await ServerProcess.StartAsync(SettingsOf("b", SilentAgentOfB));
    }

    public async Task DisposeAsync()
    {
        if (B is not null)
        {
            await B.DisposeAsync();
        }

        await Broker.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
