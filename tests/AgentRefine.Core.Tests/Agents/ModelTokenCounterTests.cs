using AgentRefine.Agents;
using AgentRefine.Core.Tests.Tokenization;

namespace AgentRefine.Core.Tests.Agents;

public sealed class ModelTokenCounterTests
{
    [Fact]
    public void Counts_what_the_models_tokenizer_encodes()
    {
        var tokenizer = TokenizerFiles.Mistral;
        var counter = new ModelTokenCounter(tokenizer);

        counter.CountTokens("Action: go to the kitchen").Should().Be(tokenizer.Encode("Action: go to the kitchen").Count).And.BeGreaterThan(3);
        counter.CountTokens(string.Empty).Should().Be(0);
        new EstimatedTokenCounter().CountTokens("Action: go to the kitchen").Should().BeGreaterThan(0, "the estimate is the fallback when no tokenizer is given");
    }
}
