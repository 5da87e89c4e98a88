using AgentRefine.Json;
using AgentRefine.Llm;

namespace AgentRefine.Environments;

/// <summary>Settings of a <see cref="ScriptEnvironment"/>.</summary>
public sealed class ScriptEnvironmentOptions
{
    /// <summary>The Dungeon Master's sampling settings. Default: temperature 0, 1,024 new tokens, JSON-object output.</summary>
    public GenerationOptions DungeonMaster { get; set; } = new() { Temperature = 0f, MaxOutputTokens = 1_024 };

    /// <summary>Replies the Dungeon Master may give per turn until one is valid; then the episode ends as errored. Default 3.</summary>
    public int MaxDungeonMasterAttempts { get; set; } = 3;

    /// <summary>The longest observation (and thought) kept from a Dungeon Master reply, in characters (the rest is cut off). Default 4,000.</summary>
    public int MaxObservationCharacters { get; set; } = 4_000;

    /// <summary>Size limits for reading the Dungeon Master's replies. Default <see cref="JsonReadLimits.Default"/>.</summary>
    public JsonReadLimits ReadLimits { get; set; } = JsonReadLimits.Default;

    /// <summary>A copy (the generation options copied too).</summary>
    /// <returns>The copy.</returns>
    public ScriptEnvironmentOptions Clone()
    {
        var copy = (ScriptEnvironmentOptions)MemberwiseClone();
        copy.DungeonMaster = DungeonMaster.Clone();
        return copy;
    }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it.</exception>
    public void Validate()
    {
        if (DungeonMaster is null || ReadLimits is null)
        {
            throw new ArgumentException($"{nameof(DungeonMaster)} and {nameof(ReadLimits)} must be set.", nameof(DungeonMaster));
        }

        if (MaxDungeonMasterAttempts < 1)
        {
            throw new ArgumentException($"{nameof(MaxDungeonMasterAttempts)} must be 1 or more, found {MaxDungeonMasterAttempts}.", nameof(MaxDungeonMasterAttempts));
        }

        if (MaxObservationCharacters < 1)
        {
            throw new ArgumentException($"{nameof(MaxObservationCharacters)} must be 1 or more, found {MaxObservationCharacters}.", nameof(MaxObservationCharacters));
        }
    }
}
