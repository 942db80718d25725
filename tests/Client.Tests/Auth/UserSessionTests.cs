using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Auth;

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
}
