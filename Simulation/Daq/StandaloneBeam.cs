using Clovers.Monitor.Simulation.Platform;

namespace Clovers.Monitor.Simulation.Daq;

/// <summary>
/// The platform simulator's beam model (nominal power, spontaneous trips, ramps back) running on
/// its own, for a DAQ simulator started without a platform. Advances with the injected clock.
/// </summary>
public sealed class StandaloneBeam : IBeamPowerSource
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly NoiseSource _noise;
    private readonly BeamModel _model;
    private DateTimeOffset _last;

    public StandaloneBeam(SimulatedPlatformOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _noise = new NoiseSource(options.Seed);
        _model = new BeamModel(options);
        _last = time.GetUtcNow();
    }

    public double BeamPowerKilowatts
    {
        get
        {
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                if (now > _last)
                {
                    _model.Advance(_noise, now - _last, forcedTrip: false);
                    _last = now;
                }

                return Math.Max(0, _model.ReadPower(_noise));
            }
        }
    }
}
