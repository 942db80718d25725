using System.Text.RegularExpressions;

namespace Clovers.Monitor.Deployment.Tests;

public sealed partial class SecretTests
{
    private const string Placeholder = "change-me";

    public static TheoryData<string> DeploymentFiles =>
    [
        ComposeFile.RelativePath,
        ".env.example",
        .. RepositoryFiles.FilesUnder("deploy"),
        .. RepositoryFiles.FilesUnder("grafana"),
    ];

    [Fact]
    public void EnvExample_SecretValues_AreChangeMePlaceholders()
    {
        var notPlaceholders = EnvFile.Load(".env.example").Values
            .Where(pair => SecretName().IsMatch(pair.Key))
            .SelectMany(pair => SecretsIn(pair.Key, pair.Value).Select(secret => (pair.Key, Secret: secret)))
            .Where(entry => !entry.Secret.StartsWith(Placeholder, StringComparison.Ordinal))
            .Select(entry => entry.Key);

        Assert.Empty(notPlaceholders);
    }

    [Theory]
    [InlineData("deploy/systemd/server.env.example")]
    [InlineData("deploy/systemd/edge-agent.env.example")]
    public void SystemdEnvExample_SecretValues_AreChangeMePlaceholders(string path)
    {
        var notPlaceholders = EnvFile.Load(path).Values
            .Where(pair => SecretName().IsMatch(pair.Key) && !pair.Value.StartsWith(Placeholder, StringComparison.Ordinal))
            .Select(pair => pair.Key);

        Assert.Empty(notPlaceholders);
    }

    [Theory]
    [MemberData(nameof(DeploymentFiles))]
    public void DeploymentFile_SecretAssignments_AreReferencesOrPlaceholders(string path)
    {
        var literals = RepositoryFiles.ReadAllText(path).Split('\n')
            .Select(line => SecretAssignment().Match(line))
            .Where(match => match.Success)
            .Where(match => !IsReferenceOrPlaceholder(match.Groups["value"].Value))
            .Select(match => match.Value.Trim());

        Assert.Empty(literals);
    }

    [Theory]
    [MemberData(nameof(DeploymentFiles))]
    public void DeploymentFile_Text_HoldsNothingThatLooksLikeAKeyOrHash(string path)
    {
        var suspicious = KeyLikeText().Matches(RepositoryFiles.ReadAllText(path)).Select(match => match.Value);

        Assert.Empty(suspicious);
    }

    [Fact]
    public void EnvFile_Real_IsIgnoredByGit()
    {
        var ignored = RepositoryFiles.ReadAllText(".gitignore").Split('\n').Select(line => line.Trim());

        Assert.Contains(ignored, line => line is "/.env" or ".env");
    }

    [Theory]
    [InlineData("PASSWORD", "change-me-one", true)]
    [InlineData("PASSWORD", "${MQTT_SERVER_PASSWORD:?set it}", true)]
    [InlineData("token", "$__env{INFLUX_TOKEN}", true)]
    [InlineData("CREDENTIALS", "platform-1:change-me-one daq-py:${DAQ_PASSWORD}", true)]
    [InlineData("PASSWORD", "hunter2hunter2", false)]
    [InlineData("CREDENTIALS", "platform-1:hunter2hunter2", false)]
    public void SecretAssignment_Value_IsAcceptedOnlyAsReferenceOrPlaceholder(string key, string value, bool accepted)
    {
        var match = SecretAssignment().Match($"{key}: {value}");

        Assert.True(match.Success);
        Assert.Equal(accepted, IsReferenceOrPlaceholder(match.Groups["value"].Value));
    }

    /// <summary>The secret parts of a value: for credential lists, the password after each "id:".</summary>
    private static IEnumerable<string> SecretsIn(string key, string value) =>
        key.Contains("CREDENTIALS", StringComparison.Ordinal)
            ? value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair[(pair.IndexOf(':', StringComparison.Ordinal) + 1)..])
            : [value];

    /// <summary>
    /// True when nothing is left of the value once variable references, change-me placeholders and
    /// the "agent-id:" of credential pairs are taken out: no secret is written in it.
    /// </summary>
    private static bool IsReferenceOrPlaceholder(string value)
    {
        var rest = ReferenceOrPlaceholder().Replace(value, " ");
        rest = CredentialId().Replace(rest, " ");
        return rest.All(character => char.IsWhiteSpace(character) || character is '"' or '\'' or ':');
    }

    [GeneratedRegex(@"\$__env\{[^}]*\}|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|change-me[A-Za-z0-9-]*", RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceOrPlaceholder();

    [GeneratedRegex(@"(?<=^|[\s""'])[a-z0-9][a-z0-9_-]{0,31}:", RegexOptions.CultureInvariant)]
    private static partial Regex CredentialId();

    [GeneratedRegex("(PASSWORD|TOKEN|SECRET|CREDENTIALS)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    // KEY: value or KEY=value whose key ends in a secret word; not a ${KEY...} use inside a reference.
    [GeneratedRegex(@"(?<![\w${])[A-Za-z_]*(password|passwd|token|secret|credentials)\s*[:=](?![:=])(?<value>.*)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretAssignment();

    // Long hex or base64 runs (API tokens, keys) and mosquitto / crypt password hashes.
    [GeneratedRegex(@"\b[0-9a-fA-F]{32,}\b|(?=[A-Za-z0-9+/]*[0-9])(?=[A-Za-z0-9+/]*[A-Z])(?=[A-Za-z0-9+/]*[a-z])[A-Za-z0-9+/]{40,}={0,2}|\$(6|7)\$\d*\$?[A-Za-z0-9+/.]{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex KeyLikeText();
}
