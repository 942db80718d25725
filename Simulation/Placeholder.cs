namespace Clovers.Monitor.Simulation;
internal static class Placeholder;
