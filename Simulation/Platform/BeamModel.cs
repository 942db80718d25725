namespace Clovers.Monitor.Simulation.Platform;

/// <summary>
/// CSNS beam power: nominal with a little jitter, spontaneous trips to zero for a few minutes,
/// then a linear ramp back to nominal.
/// </summary>
internal sealed class BeamModel(SimulatedPlatformOptions options)
{
    private const double MinimumRampKilowatts = 0.5;

    private TimeSpan _tripRemaining;
    private double _rampProgress = 1;

    public BeamState State { get; private set; } = BeamState.On;

    public int Trips { get; private set; }

    public void Advance(NoiseSource noise, TimeSpan dt, bool forcedTrip)
    {
        if (forcedTrip)
        {
            Trip(TimeSpan.Zero);
            return;
        }

        switch (State)
        {
            case BeamState.On when noise.Happens(options.BeamTripsPerHour, dt):
                Trip(TimeSpan.FromMinutes(noise.Uniform(options.BeamTripMinMinutes, Math.Max(options.BeamTripMinMinutes, options.BeamTripMaxMinutes))));
                break;
            case BeamState.Tripped:
                _tripRemaining -= dt;
                if (_tripRemaining <= TimeSpan.Zero)
                {
                    State = BeamState.Ramping;
                    _rampProgress = options.BeamRampMinutes > 0 ? -_tripRemaining.TotalMinutes / options.BeamRampMinutes : 1;
                }

                break;
            case BeamState.Ramping:
                _rampProgress += options.BeamRampMinutes > 0 ? dt.TotalMinutes / options.BeamRampMinutes : 1;
                if (_rampProgress >= 1)
                {
                    _rampProgress = 1;
                    State = BeamState.On;
                }

                break;
        }
    }

    public double ReadPower(NoiseSource noise)
    {
        var nominal = options.BeamNominalKilowatts;
        return State switch
        {
            BeamState.Tripped => 0,
            // Once the ramp has begun some beam is on target, and the DAQ triggers again.
            BeamState.Ramping => Math.Max(MinimumRampKilowatts, (nominal * _rampProgress) + Math.Clamp(noise.Gaussian(0.4), -1, 1)),
            _ => nominal + Math.Clamp(noise.Gaussian(0.4), -1, 1),
        };
    }

    public bool BeamPresent => State != BeamState.Tripped;

    /// <summary>The power without its jitter, for other models (the DAQ) that must not disturb the readings' random sequence.</summary>
    public double SteadyPower => State switch
    {
        BeamState.Tripped => 0,
        BeamState.Ramping => Math.Max(MinimumRampKilowatts, options.BeamNominalKilowatts * _rampProgress),
        _ => options.BeamNominalKilowatts,
    };

    private void Trip(TimeSpan duration)
    {
        if (State != BeamState.Tripped)
        {
            Trips++;
        }

        State = BeamState.Tripped;
        _tripRemaining = duration;
        _rampProgress = 0;
    }
}

internal enum BeamState
{
    On,
    Tripped,
    Ramping,
}
