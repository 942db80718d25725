using System.Net;
using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Auth;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Client.Tests.Auth;

public sealed class UserSessionTests
{
    [Fact]
    public void MissingRoleHint_ViewerNeedsShifter_NamesTheRoleAndTheAction()
    {
        using var http = new HttpClient();
        var session = TestSessions.As(http, MonitorRoles.Viewer);

        Assert.Equal("Log in as a shifter (or above) to act on alarms", session.MissingRoleHint(MonitorRoles.Shifter, "act on alarms"));
    }

    [Fact]
    public void MissingRoleHint_ViewerNeedsExpert_UsesAn()
    {
        using var http = new HttpClient();
        var session = TestSessions.As(http, MonitorRoles.Viewer);

        Assert.Equal("Log in as an expert (or above) to save rules", session.MissingRoleHint(MonitorRoles.Expert, "save rules"));
    }

    [Fact]
    public void MissingRoleHint_ExpertNeedsShifter_IsNull()
    {
        using var http = new HttpClient();
        var session = TestSessions.As(http, MonitorRoles.Expert);

        Assert.Null(session.MissingRoleHint(MonitorRoles.Shifter, "act on alarms"));
    }

    [Fact]
    public async Task EnsureLoadedAsync_CalledAgainWhileTheAnswerIsOnItsWay_AsksTheServerOnce()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new SlowMe(answer.Task);
        using var http = new HttpClient(server) { BaseAddress = new Uri("http://localhost/") };
        var session = new UserSession(http, NullLogger<UserSession>.Instance);

        var first = session.EnsureLoadedAsync();
        var second = session.EnsureLoadedAsync();
        answer.SetResult();
        await Task.WhenAll(first, second);

        Assert.Equal(1, server.Requests);
        Assert.Equal(TestSessions.UserName(MonitorRoles.Shifter), session.Current.Name);
    }

    /// <summary>Answers <c>/api/auth/me</c> with a shifter once <c>release</c> completes, counting the asks.</summary>
    private sealed class SlowMe(Task release) : HttpMessageHandler
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            await release.WaitAsync(cancellationToken);
            var user = TestSessions.User(MonitorRoles.Shifter);
            return FuncHandler.Json(HttpStatusCode.OK, System.Text.Json.JsonSerializer.Serialize(user, AuthJsonContext.Default.CurrentUser));
        }
    }
}
