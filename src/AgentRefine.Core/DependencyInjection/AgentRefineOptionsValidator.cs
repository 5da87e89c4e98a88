using Microsoft.Extensions.Options;

namespace AgentRefine;

/// <summary>Reports out-of-range settings as an options validation failure naming the setting.</summary>
internal sealed class AgentRefineOptionsValidator : IValidateOptions<AgentRefineOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentRefineOptions options)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(options.Verification, nameof(options.Verification));
            ArgumentNullException.ThrowIfNull(options.ReadLimits, nameof(options.ReadLimits));
            ArgumentNullException.ThrowIfNull(options.Synthesis, nameof(options.Synthesis));
            ArgumentNullException.ThrowIfNull(options.Conversion, nameof(options.Conversion));
            ArgumentNullException.ThrowIfNull(options.Telemetry, nameof(options.Telemetry));
            ArgumentNullException.ThrowIfNull(options.Personas, nameof(options.Personas));
            ArgumentNullException.ThrowIfNull(options.Tokenization, nameof(options.Tokenization));
            ArgumentNullException.ThrowIfNull(options.Agent, nameof(options.Agent));
            ArgumentNullException.ThrowIfNull(options.ScriptEnvironment, nameof(options.ScriptEnvironment));
            options.Verification.Validate();
            options.ReadLimits.Validate();
            options.Synthesis.Validate();
            options.Conversion.Validate();
            options.Tokenization.Validate();
            options.Agent.Validate();
            options.ScriptEnvironment.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException exception)
        {
            return ValidateOptionsResult.Fail($"AgentRefineOptions: {exception.Message}");
        }
    }
}
