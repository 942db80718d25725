using System.Net;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Auth;

namespace Clovers.Monitor.Server.Tests.Auth;

public sealed class AdminCommandTests(MonitorServerFactory factory) : IClassFixture<MonitorServerFactory>
{
    [Fact]
    public async Task CreateAdmin_PasswordOnStdin_CanLogInAsAdmin()
    {
        var (code, _) = await RunAsync([AdminCommands.CreateAdmin, "first-admin"], "a long enough password\n");
        using var http = await factory.LoginAsync("first-admin", "a long enough password");

        using var users = await http.GetAsync(AuthRoutes.Users);

        Assert.Equal(0, code);
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
    }

    [Fact]
    public async Task CreateAdmin_EmptyStdin_PrintsAGeneratedPasswordThatWorks()
    {
        var (code, output) = await RunAsync([AdminCommands.CreateAdmin, "generated-admin"], string.Empty);
        var password = output.Split('\n').Single(l => l.StartsWith("Password (shown once): ", StringComparison.Ordinal))["Password (shown once): ".Length..].Trim();

        using var http = await factory.LoginAsync("generated-admin", password);

        Assert.Equal(0, code);
    }

    [Fact]
    public async Task CreateAdmin_TooShortPassword_FailsWithTheReason()
    {
        var (code, output) = await RunAsync([AdminCommands.CreateAdmin, "short-admin"], "short\n");

        Assert.Equal(1, code);
        Assert.Contains("at least", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetPassword_LockedAccount_UnlocksWithTheNewPassword()
    {
        var account = await factory.CreateUserAsync(AuthPolicies.Expert);

        var (code, _) = await RunAsync([AdminCommands.ResetPassword, account.Name], "another long password\n");
        using var http = await factory.LoginAsync(account.Name, "another long password");

        Assert.Equal(0, code);
    }

    private async Task<(int Code, string Output)> RunAsync(string[] args, string stdin)
    {
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        var code = await AdminCommands.RunAsync(args, factory.Services, input, output, output);
        return (code, output.ToString());
    }
}
