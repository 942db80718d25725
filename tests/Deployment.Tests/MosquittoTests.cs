using System.Text.RegularExpressions;

namespace Clovers.Monitor.Deployment.Tests;

public sealed partial class MosquittoTests
{
    private const string AclFile = "deploy/mosquitto/acl";
    private const string ConfFile = "deploy/mosquitto/mosquitto.conf";
    private const string EntrypointFile = "deploy/mosquitto/entrypoint.sh";

    [Fact]
    public void Acl_AnonymousSection_GrantsNothing()
    {
        var beforeFirstUser = AclRules().TakeWhile(rule => rule.Keyword != "user");

        Assert.DoesNotContain(beforeFirstUser, rule => rule.Keyword == "topic");
    }

    [Fact]
    public void Acl_Patterns_AreScopedToTheUsersOwnIdLevel()
    {
        var patterns = AclRules().Where(rule => rule.Keyword == "pattern").ToList();

        Assert.NotEmpty(patterns);
        Assert.All(patterns, pattern => Assert.Matches(OwnIdScopedTopic(), pattern.Topic));
    }

    [Theory]
    [InlineData("write", "clovers/v1/agents/%u/status")]
    [InlineData("write", "clovers/v1/agents/%u/readings")]
    [InlineData("write", "clovers/v1/agents/%u/replies")]
    [InlineData("read", "clovers/v1/agents/%u/commands")]
    [InlineData("write", "clovers/v1/daq/%u/#")]
    public void Acl_Publishers_GetTheirOwnTopics(string access, string topic)
    {
        Assert.Contains(AclRules(), rule => rule is { Keyword: "pattern" } && rule.Access == access && rule.Topic == topic);
    }

    [Fact]
    public void Acl_Users_AreOnlyTheServerUserOfCompose()
    {
        var serverUser = ComposeFile.Environment(ComposeFile.Instance.Service("server"))["Mqtt__Username"];

        var users = AclRules().Where(rule => rule.Keyword == "user").Select(rule => rule.Topic);

        Assert.Equal([serverUser], users);
    }

    [Fact]
    public void Acl_ServerUser_MayWriteOnlyAgentCommands()
    {
        var serverRules = AclRules().SkipWhile(rule => rule.Keyword != "user").Skip(1).TakeWhile(rule => rule.Keyword == "topic").ToList();

        Assert.Contains(serverRules, rule => rule.Access == "read" && rule.Topic == "clovers/v1/#");
        Assert.Equal(["clovers/v1/agents/+/commands"], serverRules.Where(rule => rule.Access != "read").Select(rule => rule.Topic));
    }

    [Fact]
    public void Compose_BrokerServerUser_IsTheServersMqttUsername()
    {
        var broker = ComposeFile.Environment(ComposeFile.Instance.Service("mosquitto"));
        var server = ComposeFile.Environment(ComposeFile.Instance.Service("server"));

        Assert.Equal(server["Mqtt__Username"], broker["MQTT_SERVER_USERNAME"]);
        Assert.Equal(server["Mqtt__Password"], broker["MQTT_SERVER_PASSWORD"]);
    }

    [Fact]
    public void Compose_BrokerCredentials_ListTheSimulatedAgentUnderItsAgentId()
    {
        var broker = ComposeFile.Environment(ComposeFile.Instance.Service("mosquitto"));
        var agent = ComposeFile.Environment(ComposeFile.Instance.Service("edge-agent"));

        Assert.StartsWith($"{agent["Agent__Username"]}:{agent["Agent__Password"]} ", broker["MQTT_AGENT_CREDENTIALS"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("allow_anonymous", "false")]
    [InlineData("listener", "1883")]
    [InlineData("persistence", "true")]
    public void Conf_Setting_HasTheSecureValue(string key, string value)
    {
        Assert.Equal(value, ConfSettings()[key]);
    }

    [Theory]
    [InlineData("password_file", "passwd_file=")]
    [InlineData("acl_file", "acl_file=")]
    public void Conf_SecurityFile_IsTheOneTheEntrypointWrites(string key, string entrypointVariable)
    {
        var path = ConfSettings()[key];
        var entrypoint = RepositoryFiles.ReadAllText(EntrypointFile);
        var runDir = Regex.Match(entrypoint, "^run_dir=(\\S+)$", RegexOptions.Multiline).Groups[1].Value;
        var fileName = Regex.Match(entrypoint, $"^{Regex.Escape(entrypointVariable)}\"\\$run_dir/(\\S+)\"$", RegexOptions.Multiline).Groups[1].Value;

        Assert.Equal(path, $"{runDir}/{fileName}");
    }

    [Fact]
    public void Compose_BrokerConfigFiles_AreMountedWhereTheEntrypointReadsThem()
    {
        var mounts = ComposeFile.Items(ComposeFile.Instance.Service("mosquitto"), "volumes").Select(ComposeFile.Scalar).ToList();
        var entrypoint = RepositoryFiles.ReadAllText(EntrypointFile);

        Assert.Contains($"./{AclFile}:/mosquitto/config/acl:ro", mounts);
        Assert.Contains($"./{ConfFile}:/mosquitto/config/mosquitto.conf:ro", mounts);
        Assert.Contains("cp /mosquitto/config/acl ", entrypoint, StringComparison.Ordinal);
        Assert.Contains("-c /mosquitto/config/mosquitto.conf", entrypoint, StringComparison.Ordinal);
    }

    /// <summary>The settings of mosquitto.conf; for a repeated key (log_type) the last one.</summary>
    private static Dictionary<string, string> ConfSettings() =>
        RepositoryFiles.ReadAllText(ConfFile).Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', 2))
            .GroupBy(parts => parts[0], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Last() is [_, var value] ? value.Trim() : string.Empty, StringComparer.Ordinal);

    /// <summary>The ACL's lines: <c>user NAME</c>, <c>topic [read|write|readwrite|deny] TOPIC</c>, <c>pattern [access] TOPIC</c>.</summary>
    private static List<AclRule> AclRules()
    {
        var rules = new List<AclRule>();
        foreach (var rawLine in RepositoryFiles.ReadAllText(AclFile).Split('\n'))
        {
            var parts = rawLine.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || parts[0].StartsWith('#'))
            {
                continue;
            }

            rules.Add(parts switch
            {
                ["user", var name] => new AclRule("user", string.Empty, name),
                [var keyword, var topic] => new AclRule(keyword, "readwrite", topic),
                [var keyword, var access, var topic] => new AclRule(keyword, access, topic),
                _ => throw new FormatException($"{AclFile}: cannot read '{rawLine}'."),
            });
        }

        return rules;
    }

    // clovers/v1/{agents|daq}/%u/... : no wildcard before the user's own id level.
    [GeneratedRegex("^clovers/v1/(agents|daq)/%u/[^+#]*[a-z#]$", RegexOptions.CultureInvariant)]
    private static partial Regex OwnIdScopedTopic();

    private sealed record AclRule(string Keyword, string Access, string Topic);
}
