namespace Clovers.Monitor.Server.Mqtt.Security;

/// <summary>
/// <c>dotnet run --project Server -- hash-mqtt-password</c>: reads a password from standard input
/// (one line, so it stays out of the shell history and the process list) and prints its hash for
/// <c>Mqtt:Accounts:N:PasswordHash</c>.
/// </summary>
public static class MqttPasswordTool
{
    public const string CommandName = "hash-mqtt-password";

    public const int MinPasswordLength = 12;

    public static bool IsInvocation(string[] args) => args is [CommandName, ..];

    /// <summary>0 with the hash written, 2 with the reason when the password is missing or too short.</summary>
    public static int Run(TextReader input, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var password = input.ReadLine()?.TrimEnd('\r');
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
        {
            error.WriteLine($"Give the password on standard input, at least {MinPasswordLength} characters: echo \"$PASSWORD\" | dotnet run --project Server -- {CommandName}");
            return 2;
        }

        output.WriteLine(MqttPasswordHasher.Hash(password));
        return 0;
    }
}
