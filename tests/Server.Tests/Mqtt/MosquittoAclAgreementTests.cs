using Clovers.Monitor.Server.Mqtt.Security;

namespace Clovers.Monitor.Server.Tests.Mqtt;

/// <summary>The embedded broker's ACL and <c>deploy/mosquitto/acl</c> grant the same topics, so a publisher behaves alike on both.</summary>
public sealed class MosquittoAclAgreementTests
{
    [Fact]
    public void PatternLines_GrantWhatAgentsAndDaqsMayDoOnTheEmbeddedBroker()
    {
        var mosquitto = ReadMosquittoAcl().Where(r => r.User is null).Select(r => (r.Access, r.Pattern)).ToHashSet();
        var embedded = MqttAcl.Rules.Where(r => r.Role is MqttRoles.Agent or MqttRoles.Daq).Select(r => (r.Access, r.Pattern)).ToHashSet();

        Assert.Equal(embedded.OrderBy(r => r.Pattern), mosquitto.OrderBy(r => r.Pattern));
    }

    [Fact]
    public void ServerSection_GrantsWhatTheServerMayDoOnTheEmbeddedBroker()
    {
        var mosquitto = ReadMosquittoAcl().Where(r => r.User == InProcessMqttLogins.ServerUsername).Select(r => (r.Access, r.Pattern)).ToHashSet();
        var embedded = MqttAcl.Rules.Where(r => r.Role == MqttRoles.Server).Select(r => (r.Access, r.Pattern)).ToHashSet();

        Assert.Equal(embedded.OrderBy(r => r.Pattern), mosquitto.OrderBy(r => r.Pattern));
    }

    /// <summary>The grants of a mosquitto ACL file: <c>pattern</c> lines (user null) and <c>topic</c> lines of <c>user</c> sections.</summary>
    private static List<(string? User, MqttAccess Access, string Pattern)> ReadMosquittoAcl()
    {
        var rules = new List<(string?, MqttAccess, string)>();
        string? user = null;
        foreach (var raw in File.ReadLines(Path.Combine(RepositoryRoot(), "deploy", "mosquitto", "acl")))
        {
            var parts = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || parts[0].StartsWith('#'))
            {
                continue;
            }

            switch (parts[0])
            {
                case "user":
                    user = parts[1];
                    break;
                case "pattern":
                    rules.Add((null, ToAccess(parts[1]), parts[2]));
                    break;
                case "topic":
                    rules.Add((user, ToAccess(parts[1]), parts[2]));
                    break;
                default:
                    throw new InvalidDataException($"Unexpected ACL line '{raw}'.");
            }
        }

        return rules;
    }

    private static MqttAccess ToAccess(string word) => word switch
    {
        "write" => MqttAccess.Publish,
        "read" => MqttAccess.Subscribe,
        _ => throw new InvalidDataException($"ACL access '{word}' is not read or write."),
    };

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Clovers.Monitor.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (Clovers.Monitor.sln) is not above the test binaries.");
    }
}
