using System.Diagnostics;
using System.Globalization;
using System.Text;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Tests.Support;

namespace Clovers.Monitor.EdgeAgent.Tests;

/// <summary>The built EdgeAgent as an operator runs it: a process configured from the environment.</summary>
public sealed class EdgeAgentProcessTests
{
    private static readonly TimeSpan s_processTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Run_InvalidEnvironmentSettings_ExitsWithEveryProblemListed()
    {
        using var agent = AgentProcess.Start(new()
        {
            ["Agent__AgentId"] = "NOT VALID",
            ["Agent__BrokerPort"] = "0",
            ["Agent__ReconnectMinSeconds"] = "99",
            ["Agent__Password"] = "hunter2",
        });

        var exitCode = await agent.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        var errors = agent.StandardError;
        Assert.All(
            ["AgentId", "BrokerPort", "ReconnectMinSeconds", "Username"],
            key => Assert.Contains(key, errors, StringComparison.Ordinal));
        Assert.DoesNotContain("hunter2", agent.StandardOutput + errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BrokerPortFromEnvironment_PublishesThenSaysOfflineOnSigterm()
    {
        await using var broker = await TestBroker.StartAsync();
        using var agent = AgentProcess.Start(new()
        {
            ["Agent__AgentId"] = "proc-1",
            ["Agent__BrokerPort"] = broker.Port.ToString(CultureInfo.InvariantCulture),
        });

        await Eventually.TrueAsync(() => broker.Batches("proc-1").Count >= 1, "the agent process published readings", 20);
        agent.Terminate();
        var exitCode = await agent.WaitForExitAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal(AgentLifecycle.Online, broker.Statuses("proc-1")[0].State);
        Assert.Equal(AgentLifecycle.Offline, (await broker.RetainedStatusAsync("proc-1"))?.State);
    }

    [Fact]
    public async Task Run_DaqModeWithInvalidSettings_ExitsWithEveryProblemListed()
    {
        using var daq = AgentProcess.Start(new()
        {
            ["Daq__Enabled"] = "true",
            ["Daq__DaqId"] = "NOT VALID",
            ["Daq__Acceleration"] = "0",
            ["Daq__NpeBinWidth"] = "3",
        });

        var exitCode = await daq.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        Assert.All(
            ["DAQ cannot start", "DaqId", "Acceleration", "NpeBinWidth"],
            text => Assert.Contains(text, daq.StandardError, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_DaqMode_PublishesHistogramsThenSaysOfflineOnSigterm()
    {
        await using var broker = await TestBroker.StartAsync();
        using var daq = AgentProcess.Start(new()
        {
            ["Daq__Enabled"] = "true",
            ["Daq__DaqId"] = "daq-proc",
            ["Daq__BrokerPort"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Daq__Acceleration"] = "60",
            ["Daq__HistogramIntervalSeconds"] = "0.5",
        });

        await Eventually.TrueAsync(() => broker.Published.Any(m => m.Topic == Topics.DaqHistograms("daq-proc")), "the DAQ process published histograms", 20);
        daq.Terminate();
        var exitCode = await daq.WaitForExitAsync();

        Assert.Equal(0, exitCode);
        var last = broker.Published.Last(m => m.Topic == Topics.DaqStatus("daq-proc"));
        var status = System.Text.Json.JsonSerializer.Deserialize(last.Payload, ProtocolJsonContext.Default.DaqStatusMessage)!;
        Assert.Equal((DaqRunState.Offline, true), (status.State, last.Retain));
    }

    private sealed class AgentProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly StringBuilder _error = new();

        private AgentProcess(Process process) => _process = process;

        public string StandardOutput
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public string StandardError
        {
            get
            {
                lock (_error)
                {
                    return _error.ToString();
                }
            }
        }

        public static AgentProcess Start(Dictionary<string, string> environment)
        {
            var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Clovers.Monitor.EdgeAgent.dll"));
            info.Environment["DOTNET_ENVIRONMENT"] = "Production";
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }

            var process = new Process { StartInfo = info };
            var agent = new AgentProcess(process);
            process.OutputDataReceived += (_, e) => Append(agent._output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(agent._error, e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return agent;
        }

        /// <summary>SIGTERM, as systemd or docker stop would send it.</summary>
        public void Terminate()
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }

        public async Task<int> WaitForExitAsync()
        {
            await _process.WaitForExitAsync().WaitAsync(s_processTimeout);
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.Dispose();
        }

        private static void Append(StringBuilder target, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (target)
            {
                target.AppendLine(line);
            }
        }
    }
}
