using AgentRefine.Personas;
using AgentRefine.Scripts;
using AgentRefine.Trajectories;
using AgentRefine.Verification;
using Microsoft.Extensions.Logging;

namespace AgentRefine.Synthesis;

/// <summary>
/// The entry point of synthesis: personas in, verified records out. A façade over the two parts that
/// do the work, which a host can also use on their own: <see cref="PersonaSynthesizer"/> (one persona,
/// the paper's loop within the call budget) and <see cref="SynthesisRun"/> (many personas: concurrency,
/// resume, the store, progress and statistics).
/// </summary>
public sealed class SynthesisPipeline
{
    private readonly SynthesisRun _run;

    /// <summary>Creates the pipeline from its parts.</summary>
    /// <param name="scriptGenerator">Writes scripts.</param>
    /// <param name="trajectorySimulator">Plays games.</param>
    /// <param name="verifier">Judges both; its <see cref="IVerifier.Settings"/> go into every record's provenance.</param>
    /// <param name="options">The run's settings (validated); defaults when <see langword="null"/>.</param>
    /// <param name="logger">The logger of both parts; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for elapsed time; the system clock when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public SynthesisPipeline(IScriptGenerator scriptGenerator, ITrajectorySimulator trajectorySimulator, IVerifier verifier, SynthesisOptions? options = null, ILogger<SynthesisPipeline>? logger = null, TimeProvider? timeProvider = null)
        : this(new SynthesisRun(new PersonaSynthesizer(scriptGenerator, trajectorySimulator, verifier, options, (ILogger?)logger), options, (ILogger?)logger, timeProvider))
    {
    }

    /// <summary>Creates the pipeline over a run (and the run's synthesizer).</summary>
    /// <param name="run">The run.</param>
    public SynthesisPipeline(SynthesisRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        _run = run;
    }

    /// <summary>Synthesizes one persona's record (accepted, rejected or unfinished) within the call budget: <see cref="PersonaSynthesizer.SynthesizeAsync"/>.</summary>
    /// <param name="persona">The persona.</param>
    /// <param name="cancellationToken">Cancels the work; nothing is returned for a cancelled persona.</param>
    /// <returns>The record.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="Exception">A failure that retrying cannot fix, rethrown as is.</exception>
    public Task<SynthesisRecord> SynthesizeAsync(Persona persona, CancellationToken cancellationToken = default) =>
        _run.Synthesizer.SynthesizeAsync(persona, cancellationToken);

    /// <summary>
    /// Runs personas with <see cref="SynthesisOptions.MaxConcurrency"/> in flight, skipping those already
    /// in <paramref name="store"/>, and appends every record as it is done: <see cref="SynthesisRun.RunAsync"/>.
    /// </summary>
    /// <param name="personas">The personas.</param>
    /// <param name="store">Where records go.</param>
    /// <param name="progress">Receives a report after each record and each skip; optional.</param>
    /// <param name="cancellationToken">Stops the run (every finished record stays on disk).</param>
    /// <returns>The run's statistics.</returns>
    /// <exception cref="Exception">A failure that retrying cannot fix, after the finished records are written.</exception>
    public Task<SynthesisStatistics> RunAsync(IAsyncEnumerable<Persona> personas, ISynthesisRecordStore store, IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default) =>
        _run.RunAsync(personas, store, progress, cancellationToken);
}
