namespace Clovers.Monitor.Server.Audit;

/// <summary>The <see cref="AuditEntry.Action"/> names written by the server; features add their own.</summary>
public static class AuditActions
{
    public const string Login = "auth.login";
    public const string LoginFailed = "auth.login-failed";
    public const string Logout = "auth.logout";
    public const string TokenCreated = "auth.token-created";
    public const string TokenRevoked = "auth.token-revoked";
    public const string UserCreated = "user.created";
    public const string UserChanged = "user.changed";
    public const string PasswordSet = "user.password-set";
    public const string AlarmAcknowledged = "alarm.ack";
    public const string AlarmShelved = "alarm.shelve";
    public const string AlarmUnshelved = "alarm.unshelve";
    public const string RulesEdited = "alarm.rules";

    /// <summary>Outcomes for <see cref="AuditEntry.Result"/>.</summary>
    public const string Succeeded = "ok";
    public const string Refused = "refused";
}
