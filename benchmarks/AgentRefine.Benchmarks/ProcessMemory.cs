using System.Diagnostics;
using System.Globalization;

namespace AgentRefine.Benchmarks;

/// <summary>The benchmark process's own memory figures.</summary>
internal static class ProcessMemory
{
    /// <summary>The peak resident set of this process in MB: <c>VmHWM</c> on Linux, the peak working set elsewhere.</summary>
    public static double PeakResidentMegabytes()
    {
        var status = File.Exists("/proc/self/status") ? File.ReadAllLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
        return status is null
            ? Process.GetCurrentProcess().PeakWorkingSet64 / 1e6
            : double.Parse(status.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
