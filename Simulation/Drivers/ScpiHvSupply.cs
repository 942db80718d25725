using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Clovers.Monitor.Simulation.Drivers;

/// <summary>Where an SCPI supply listens and how long it may take to answer.</summary>
public sealed class ScpiConnectionOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 10001;

    /// <summary>Longest wait for a connection or one answer; then the connection is dropped and the next call reconnects.</summary>
    public double TimeoutSeconds { get; set; } = 2;
}

/// <summary>
/// Drives an HV supply over SCPI on a raw TCP socket (the command set of
/// <see cref="Instruments.HvSupplySimulator"/>): one line per command, a query waits for its
/// one-line answer, and every set command is followed by <c>SYST:ERR?</c> so that a refusal of
/// the supply is reported to the caller rather than lost. One transaction at a time. Any
/// timeout or socket error drops the connection, and the next call connects afresh (clearing
/// stale errors with <c>*CLS</c>), so a rebooted supply or a broken cable heals by itself.
/// </summary>
public sealed class ScpiHvSupply : IHvSupply, IAsyncDisposable
{
    private readonly ScpiConnectionOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TcpClient? _client;
    private StreamReader? _reader;
    private StreamWriter? _writer;
    private long _connects;
    private int _disposed;

    public ScpiHvSupply(ScpiConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>How many connections were opened so far (the first one and every reconnect).</summary>
    public long Connects => Interlocked.Read(ref _connects);

    public ValueTask<string> IdentifyAsync(CancellationToken ct) => QueryAsync("*IDN?", ct);

    public async ValueTask<double> GetSetpointAsync(int channel, CancellationToken ct) =>
        Number(await QueryAsync(Invariant($"VOLT? {channel}"), ct));

    public ValueTask SetVoltageAsync(int channel, double volts, CancellationToken ct) =>
        SetAsync(Invariant($"VOLT {channel},{volts:0.###}"), ct);

    public ValueTask SetRampAsync(int channel, double voltsPerSecond, CancellationToken ct) =>
        SetAsync(Invariant($"RAMP {channel},{voltsPerSecond:0.###}"), ct);

    public ValueTask SetOutputAsync(int channel, bool on, CancellationToken ct) =>
        SetAsync(Invariant($"OUTP {channel},{(on ? "ON" : "OFF")}"), ct);

    public async ValueTask<double> MeasureVoltageAsync(int channel, CancellationToken ct) =>
        Number(await QueryAsync(Invariant($"MEAS:VOLT? {channel}"), ct));

    public async ValueTask<double> MeasureCurrentMicroampsAsync(int channel, CancellationToken ct) =>
        Number(await QueryAsync(Invariant($"MEAS:CURR? {channel}"), ct)) * 1e6;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _gate.WaitAsync();
        try
        {
            Disconnect();
        }
        finally
        {
            _gate.Release();
        }

        _gate.Dispose();
    }

    private async ValueTask<string> QueryAsync(string command, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await TransactAsync(command, expectAnswer: true, ct) ?? string.Empty;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask SetAsync(string command, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await TransactAsync(command, expectAnswer: false, ct);
            var error = await TransactAsync("SYST:ERR?", expectAnswer: true, ct) ?? string.Empty;
            var (code, message) = ParseError(error);
            if (code != 0)
            {
                throw new ScpiException(code, message, command);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<string?> TransactAsync(string command, bool expectAnswer, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        try
        {
            if (_writer is null || _reader is null)
            {
                await ConnectAsync(timeout.Token);
            }

            await _writer!.WriteLineAsync(command.AsMemory(), timeout.Token);
            if (!expectAnswer)
            {
                return null;
            }

            return await _reader!.ReadLineAsync(timeout.Token)
                ?? throw new IOException($"the supply closed the connection before answering '{command}'");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The answer may still arrive later and would be taken for the answer of the next query.
            Disconnect();
            throw new TimeoutException($"the supply at {_options.Host}:{_options.Port} did not answer '{command}' within {_options.TimeoutSeconds} s");
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Disconnect();
            throw new IOException($"the supply at {_options.Host}:{_options.Port} is unreachable: {ex.GetBaseException().Message}", ex);
        }
        catch (OperationCanceledException)
        {
            Disconnect();
            throw;
        }
    }

    private async Task ConnectAsync(CancellationToken ct)
    {
        Disconnect();
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(_options.Host, _options.Port, ct);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        Interlocked.Increment(ref _connects);
        _client = client;
        var stream = client.GetStream();
        _reader = new StreamReader(stream, Encoding.ASCII, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
        _writer = new StreamWriter(stream, Encoding.ASCII, bufferSize: 1024, leaveOpen: true) { NewLine = "\n", AutoFlush = true };
        // Errors left by an earlier session must not be blamed on the next command.
        await _writer.WriteLineAsync("*CLS".AsMemory(), ct);
    }

    private void Disconnect()
    {
        _reader?.Dispose();
        _writer?.Dispose();
        _client?.Dispose();
        _reader = null;
        _writer = null;
        _client = null;
    }

    private static (int Code, string Message) ParseError(string answer)
    {
        var comma = answer.IndexOf(',', StringComparison.Ordinal);
        var codeText = comma < 0 ? answer : answer[..comma];
        if (!int.TryParse(codeText.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code))
        {
            throw new IOException($"the supply answered SYST:ERR? with '{answer}', not an SCPI error");
        }

        var message = comma < 0 ? string.Empty : answer[(comma + 1)..].Trim().Trim('"');
        return (code, message);
    }

    private static double Number(string answer) =>
        double.TryParse(answer.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new IOException($"the supply answered '{answer}', not a number");

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
