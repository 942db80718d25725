using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Simulation.Instruments;

/// <summary>
/// A multi-channel HV supply that speaks SCPI over TCP, in the style of CAEN and iseg crates:
/// one command per line (LF or CR LF), headers case-insensitive, channels numbered from 0,
/// queries answered with one line, set commands answered with nothing (errors go to the error
/// queue, read with <c>SYST:ERR?</c>). A query that fails is not answered (SCPI-99), so a client
/// validates channels before it asks.
/// <list type="table">
/// <item><term><c>*IDN?</c></term><description><c>CLOVERS,HVSIM-8,SIM0001,1.0</c></description></item>
/// <item><term><c>*CLS</c></term><description>clears the error queue</description></item>
/// <item><term><c>VOLT ch,V</c> / <c>VOLT? ch</c></term><description>setpoint in volts (0 … the supply's maximum, else -222)</description></item>
/// <item><term><c>RAMP ch,V/s</c> / <c>RAMP? ch</c></term><description>ramp rate (above 0, at most 500 V/s)</description></item>
/// <item><term><c>OUTP ch,ON|OFF</c> / <c>OUTP? ch</c></term><description>output switch; the query answers 1 or 0</description></item>
/// <item><term><c>MEAS:VOLT? ch</c></term><description>voltage at the output, volts</description></item>
/// <item><term><c>MEAS:CURR? ch</c></term><description>output current, amperes</description></item>
/// <item><term><c>SYST:ERR?</c></term><description>oldest error as <c>code,"message"</c>; <c>0,"No error"</c> when empty</description></item>
/// </list>
/// Every line received is recorded (<see cref="ReceivedCommands"/>), so a test can assert the
/// supply saw exactly the commands that were meant to reach it.
/// </summary>
public sealed partial class HvSupplySimulator : IAsyncDisposable
{
    public const string Identity = "CLOVERS,HVSIM-8,SIM0001,1.0";

    /// <summary>Lines kept in <see cref="ReceivedCommands"/>; older ones go.</summary>
    public const int CommandLogCapacity = 10_000;

    private const int ErrorQueueCapacity = 16;
    private const int MaxLineLength = 256;

    private readonly HvChannelBank _bank;
    private readonly double _loadMegaohms;
    private readonly TcpListener _listener;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Queue<string> _log = new();
    private readonly Queue<(int Code, string Message)> _errors = new();
    private readonly List<(TcpClient Client, Task Serving)> _connections = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _accepting = Task.CompletedTask;
    private volatile bool _mute;
    private int _disposed;

    /// <param name="bank">The channels the supply drives.</param>
    /// <param name="loadMegaohms">Resistance at each output (a PMT's voltage divider), for the current reading.</param>
    /// <param name="port">TCP port on 127.0.0.1; 0 lets the OS pick one (see <see cref="EndPoint"/>).</param>
    public HvSupplySimulator(HvChannelBank bank, double loadMegaohms, int port = 0, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(loadMegaohms);
        _bank = bank;
        _loadMegaohms = loadMegaohms;
        _logger = logger ?? NullLogger.Instance;
        _listener = new TcpListener(IPAddress.Loopback, port);
    }

    /// <summary>Where the supply listens, once <see cref="Start"/> ran.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public HvChannelBank Channels => _bank;

    /// <summary>While true the supply reads commands but answers no query: a hung instrument, for timeout tests.</summary>
    public bool Mute
    {
        get => _mute;
        set => _mute = value;
    }

    /// <summary>Every line received so far (at most <see cref="CommandLogCapacity"/>), oldest first.</summary>
    public IReadOnlyList<string> ReceivedCommands
    {
        get
        {
            lock (_gate)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>The set commands received (those that change something: no queries, no <c>*CLS</c>).</summary>
    public IReadOnlyList<string> ReceivedSetCommands =>
        [.. ReceivedCommands.Where(static line => !line.Contains('?', StringComparison.Ordinal) && !line.StartsWith('*'))];

    /// <summary>Binds the port and starts accepting connections; <see cref="DisposeAsync"/> stops it.</summary>
    public void Start()
    {
        _listener.Start();
        _accepting = AcceptLoopAsync(_stopping.Token);
    }

    /// <summary>Closes every open connection, as a supply reboot or a network break would; the listener stays.</summary>
    public void DropConnections()
    {
        lock (_gate)
        {
            foreach (var (client, _) in _connections)
            {
                client.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Stop();
        Task[] serving;
        lock (_gate)
        {
            foreach (var (client, _) in _connections)
            {
                client.Dispose();
            }

            serving = [.. _connections.Select(static c => c.Serving)];
        }

        try
        {
            await Task.WhenAll(serving.Append(_accepting));
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // Closing sockets under their readers ends them with these.
        }

        _stopping.Dispose();
    }

    /// <summary>Executes one line and returns the answer (null for set commands and failed queries). Public for tests of the parser alone.</summary>
    public string? Execute(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (_gate)
        {
            if (_log.Count >= CommandLogCapacity)
            {
                _log.Dequeue();
            }

            _log.Enqueue(line);
        }

        var text = line.Trim();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var header = (space < 0 ? text : text[..space]).ToUpperInvariant();
        var arguments = space < 0 ? [] : text[(space + 1)..].Split(',', StringSplitOptions.TrimEntries);
        try
        {
            return header switch
            {
                "*IDN?" => NoArguments(arguments, Identity),
                "*CLS" => NoArguments(arguments, ClearErrors()),
                "SYST:ERR?" or "SYSTEM:ERROR?" => NoArguments(arguments, NextError()),
                "VOLT" => Set(arguments, (ch, value) => _bank.SetVoltage(ch, Number(value)), "voltage"),
                "VOLT?" => Query(arguments, ch => Format(_bank.Read(ch).Setpoint)),
                "RAMP" => Set(arguments, (ch, value) => _bank.SetRamp(ch, Number(value)), "ramp"),
                "RAMP?" => Query(arguments, ch => Format(_bank.Read(ch).RampVoltsPerSecond)),
                "OUTP" => Set(arguments, (ch, value) => _bank.SetOutput(ch, OnOff(value)), "output"),
                "OUTP?" => Query(arguments, ch => _bank.Read(ch).OutputOn ? "1" : "0"),
                "MEAS:VOLT?" => Query(arguments, ch => Format(_bank.Read(ch).Voltage)),
                "MEAS:CURR?" => Query(arguments, ch => (_bank.Read(ch).Voltage / (_loadMegaohms * 1e6)).ToString("E6", CultureInfo.InvariantCulture)),
                _ => throw new ScpiError(ScpiErrors.UndefinedHeader, "Undefined header"),
            };
        }
        catch (ScpiError error)
        {
            PushError(error.Code, error.Message);
            return null;
        }
        catch (ArgumentOutOfRangeException)
        {
            PushError(ScpiErrors.DataOutOfRange, "Data out of range");
            return null;
        }
    }

    private async Task AcceptLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(ct);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException && ct.IsCancellationRequested)
            {
                return;
            }

            lock (_gate)
            {
                _connections.RemoveAll(static c => c.Serving.IsCompleted);
                _connections.Add((client, ServeAsync(client, ct)));
            }
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken ct)
    {
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
                await using var writer = new StreamWriter(stream, Encoding.ASCII, bufferSize: 1024, leaveOpen: true) { NewLine = "\n", AutoFlush = true };
                while (await reader.ReadLineAsync(ct) is { } line)
                {
                    if (line.Length > MaxLineLength)
                    {
                        PushError(ScpiErrors.CommandError, "Command error; line too long");
                        continue;
                    }

                    if (line.Trim().Length == 0)
                    {
                        continue;
                    }

                    var answer = Execute(line);
                    if (answer is not null && !_mute)
                    {
                        await writer.WriteLineAsync(answer.AsMemory(), ct);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            Log.ConnectionEnded(_logger, ex.GetBaseException().Message);
        }
    }

    private static string? NoArguments(string[] arguments, string? answer) =>
        arguments.Length == 0 ? answer : throw new ScpiError(ScpiErrors.ParameterNotAllowed, "Parameter not allowed");

    private string? Set(string[] arguments, Action<int, string> apply, string what)
    {
        if (arguments.Length != 2)
        {
            throw new ScpiError(ScpiErrors.MissingParameter, $"Missing parameter; expected <channel>,<{what}>");
        }

        apply(ChannelOf(arguments[0]), arguments[1]);
        return null;
    }

    private string Query(string[] arguments, Func<int, string> answer)
    {
        if (arguments.Length != 1)
        {
            throw new ScpiError(ScpiErrors.MissingParameter, "Missing parameter; expected <channel>");
        }

        return answer(ChannelOf(arguments[0]));
    }

    private int ChannelOf(string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var channel))
        {
            throw new ScpiError(ScpiErrors.DataTypeError, "Data type error; channel");
        }

        return channel < _bank.Count ? channel : throw new ScpiError(ScpiErrors.IllegalParameterValue, "Illegal parameter value; no such channel");
    }

    private static double Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new ScpiError(ScpiErrors.DataTypeError, "Data type error");

    private static bool OnOff(string text) => text.ToUpperInvariant() switch
    {
        "ON" or "1" => true,
        "OFF" or "0" => false,
        _ => throw new ScpiError(ScpiErrors.IllegalParameterValue, "Illegal parameter value; ON or OFF"),
    };

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private string? ClearErrors()
    {
        lock (_gate)
        {
            _errors.Clear();
        }

        return null;
    }

    private string NextError()
    {
        lock (_gate)
        {
            var (code, message) = _errors.Count > 0 ? _errors.Dequeue() : (ScpiErrors.NoError, "No error");
            return string.Create(CultureInfo.InvariantCulture, $"{code},\"{message}\"");
        }
    }

    private void PushError(int code, string message)
    {
        lock (_gate)
        {
            if (_errors.Count >= ErrorQueueCapacity - 1)
            {
                // SCPI keeps the oldest errors and replaces the last one with an overflow marker.
                if (_errors.Count < ErrorQueueCapacity)
                {
                    _errors.Enqueue((ScpiErrors.QueueOverflow, "Queue overflow"));
                }

                return;
            }

            _errors.Enqueue((code, message));
        }
    }

    private sealed class ScpiError(int code, string message) : Exception(message)
    {
        public int Code { get; } = code;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "HV supply simulator: a connection ended ({Reason})")]
        public static partial void ConnectionEnded(ILogger logger, string reason);
    }
}
