using System.Net.Http.Json;
using Clovers.Monitor.Server.Audit;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.State;
using Clovers.Monitor.Server.Tests.Alarms.Api;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Auth;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Auth;

public sealed class AuditTests(MonitorServerFactory factory) : IClassFixture<MonitorServerFactory>
{
    private static readonly string Expert = MonitorServerFactory.TestUserName(AuthPolicies.Expert);

    [Fact]
    public async Task Acknowledge_WritesAnEntryWithTheUserName()
    {
        using var http = await factory.CreateClientAsync(AuthPolicies.Expert);
        await http.PutRulesAsync(AlarmApiClient.Silence("audit.ack"));
        await http.ActiveAlarmAsync("audit.ack");

        await (await http.AcknowledgeAsync("audit.ack", "seen it")).ReadViewAsync();
        var page = await QueryAsync(http, $"?action={AuditActions.AlarmAcknowledged}&user={Expert}");

        var entry = Assert.Single(page.Entries, e => e.Target == "audit.ack");
        Assert.Equal(Expert, entry.User);
        Assert.Equal(AuditActions.Succeeded, entry.Result);
        Assert.Equal("seen it", entry.Detail);
    }

    [Fact]
    public async Task PutRules_WritesOldAndNewJson()
    {
        using var http = await factory.CreateClientAsync(AuthPolicies.Expert);
        await http.PutRulesAsync(AlarmApiClient.Silence("audit.rule.before"));

        await http.PutRulesAsync(AlarmApiClient.Silence("audit.rule.after"));
        var page = await QueryAsync(http, $"?action={AuditActions.RulesEdited}&limit=1");

        var entry = Assert.Single(page.Entries);
        Assert.Equal(Expert, entry.User);
        Assert.Contains("audit.rule.before", entry.OldValue, StringComparison.Ordinal);
        Assert.Contains("audit.rule.after", entry.NewValue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedLogin_IsAudited()
    {
        using var http = factory.CreateClient();
        http.DefaultRequestHeaders.Add(CsrfHeader.Name, CsrfHeader.Value);
        using var admin = await factory.CreateClientAsync(AuthPolicies.Admin);

        using var _ = await http.PostAsJsonAsync(AuthRoutes.Login, new LoginRequest("nobody-here", "x"), AuthJsonContext.Default.LoginRequest);
        var page = await QueryAsync(admin, $"?action={AuditActions.LoginFailed}&user=nobody-here");

        Assert.Single(page.Entries);
    }

    [Fact]
    public async Task AuditTable_Update_IsRefusedByTheDatabase()
    {
        var log = factory.Services.GetRequiredService<IAuditLog>();
        await log.AppendAsync(new AuditEntry(DateTimeOffset.UtcNow, "someone", "test.append", "x", null, null, "ok", null), CancellationToken.None);
        await using var connection = await factory.Services.GetRequiredService<StateDatabase>().OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE audit_log SET user = 'someone else' WHERE action = 'test.append';";

        await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task AuditTable_Delete_IsRefusedByTheDatabase()
    {
        await using var connection = await factory.Services.GetRequiredService<StateDatabase>().OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM audit_log;";

        await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task AuditCsv_QuotesFormulasAndCommas()
    {
        var log = factory.Services.GetRequiredService<IAuditLog>();
        await log.AppendAsync(new AuditEntry(DateTimeOffset.UtcNow, "csv-user", "test.csv", "=HYPERLINK(1,2)", null, null, "ok", null), CancellationToken.None);
        using var http = await factory.CreateClientAsync(AuthPolicies.Expert);

        var csv = await http.GetStringAsync(AuthRoutes.AuditCsv + "?user=csv-user");

        Assert.StartsWith("id,at,user,action", csv, StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(1,2)\"", csv, StringComparison.Ordinal);
    }

    private static async Task<AuditPage> QueryAsync(HttpClient http, string query) =>
        (await http.GetFromJsonAsync(AuthRoutes.Audit + query, AuthJsonContext.Default.AuditPage))!;
}
