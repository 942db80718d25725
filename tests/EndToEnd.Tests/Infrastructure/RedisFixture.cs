using System.Globalization;

namespace Clovers.Monitor.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Debian's redis-server on a free loopback port with nothing persisted, started and ended by
/// the tests (installing the package starts no daemon the tests could use).
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public const string Executable = "/usr/bin/redis-server";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _directory = new("redis");
    private ChildProcess? _process;

    /// <summary>Why the Redis tests cannot run here, or null when they can.</summary>
    public static string? SkipReason =>
        File.Exists(Executable) ? null : $"{Executable} is not installed (apt-get install redis-server; ./test.sh installs it).";

    public int Port { get; private set; }

    /// <summary>The StackExchange.Redis connection string of this server.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"{MosquittoFixture.Host}:{Port}");

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        Port = FreePort.Next();
        _process = ChildProcess.Start(
            Executable,
            ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", MosquittoFixture.Host, "--save", string.Empty, "--appendonly", "no"],
            _directory.Path);
        if (!await FreePort.WaitUntilListeningAsync(Port, StartTimeout, () => _process.HasExited))
        {
            throw new InvalidOperationException($"redis-server did not listen on port {Port} within {StartTimeout}:\n{_process.Output}");
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _directory.Dispose();
    }
}

/// <summary>A fact that runs only where redis-server is installed, and says why it is skipped otherwise.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        Skip = RedisFixture.SkipReason;
    }
}
