using System.Buffers;
using System.Text;
using Clovers.Monitor.EndToEnd.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace Clovers.Monitor.EndToEnd.Tests.Fixtures;

/// <summary>The broker fixture itself: the interop tests are only as good as it is.</summary>
[Collection(InteropCollection.Name)]
public sealed class MosquittoFixtureTests(InteropFixture fixture)
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(10);

    private readonly MosquittoFixture _broker = fixture.Broker;

    [Fact]
    public async Task PublishFile_WithMosquittoPub_ReachesMqttnetSubscriberByteForByte()
    {
        var topic = "e2e/fixture/" + Guid.NewGuid().ToString("N");
        const string Payload = "{ \"schema\": 1, \"text\": \"ünïcode\" }\n";
        using var subscriber = await ConnectAsync();
        var received = await SubscribeAsync(subscriber, topic);

        await MosquittoFixture.PublishTextAsync(_broker.Port, topic, Payload, retain: false);

        Assert.Equal(Encoding.UTF8.GetBytes(Payload), await received.WaitAsync(DeliveryTimeout));
    }

    [Fact]
    public async Task RetainedMessage_PublishedBeforeSubscribing_IsDeliveredToLateSubscriber()
    {
        var topic = "e2e/fixture/" + Guid.NewGuid().ToString("N");
        var payload = Encoding.UTF8.GetBytes("birth");
        using (var publisher = await ConnectAsync())
        {
            await publisher.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithRetainFlag()
                .Build());
            await publisher.DisconnectAsync();
        }

        using var subscriber = await ConnectAsync();
        var received = await SubscribeAsync(subscriber, topic);

        Assert.Equal(payload, await received.WaitAsync(DeliveryTimeout));
    }

    private async Task<IMqttClient> ConnectAsync()
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(MosquittoFixture.Host, _broker.Port)
            .WithClientId("e2e-" + Guid.NewGuid().ToString("N"))
            .Build();
        using var timeout = new CancellationTokenSource(DeliveryTimeout);
        await client.ConnectAsync(options, timeout.Token);
        return client;
    }

    private static async Task<Task<byte[]>> SubscribeAsync(IMqttClient client, string topic)
    {
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic == topic)
            {
                received.TrySetResult(e.ApplicationMessage.Payload.ToArray());
            }

            return Task.CompletedTask;
        };
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        return received.Task;
    }
}
