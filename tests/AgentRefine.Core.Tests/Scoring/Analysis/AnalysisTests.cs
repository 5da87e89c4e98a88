using AgentRefine.Scoring;

namespace AgentRefine.Core.Tests.Scoring;

public class AnalysisTests
{
    [Theory]
    [InlineData("The Beatles!", "beatles")]
    [InlineData("  An   apple, a day ", "apple day")]
    [InlineData("THE END.", "end")]
    [InlineData("theater", "theater")]
    [InlineData("Ann's U.S.A.", "anns usa")]
    [InlineData("a", "")]
    [InlineData("«Café» — naïve", "«café» — naïve")]
    public void HotpotQA_normalization_follows_the_official_script(string answer, string normalized)
    {
        HotpotQaMetrics.Normalize(answer).Should().Be(normalized);
    }

    [Fact]
    public void HotpotQA_exact_match_and_f1()
    {
        HotpotQaMetrics.ExactMatch("The Eiffel Tower", "eiffel tower").Should().BeTrue();
        var (f1, precision, recall) = HotpotQaMetrics.F1("the eiffel tower in paris", "Eiffel Tower");
        precision.Should().Be(0.5);
        recall.Should().Be(1.0);
        f1.Should().BeApproximately(2.0 / 3, 1e-12);
        HotpotQaMetrics.F1("new york new york", "new york").F1.Should().BeApproximately(2 * 0.5 * 1 / 1.5, 1e-12, "common tokens are counted with multiplicity");
    }

    [Theory]
    [InlineData("yes", "no", 0)]
    [InlineData("yes", "yes indeed", 0)]
    [InlineData("no answer here", "noanswer", 0)]
    [InlineData("Yes.", "yes", 1)]
    public void HotpotQA_yes_no_and_noanswer_are_all_or_nothing(string prediction, string gold, double f1)
    {
        HotpotQaMetrics.F1(prediction, gold).F1.Should().Be(f1);
    }

    [Fact]
    public void HotpotQA_missing_predictions_score_zero()
    {
        var result = HotpotQaMetrics.Evaluate(new Dictionary<string, string> { ["a"] = "Paris" }, new Dictionary<string, string> { ["a"] = "paris", ["b"] = "London" });
        result.ExactMatch.Should().Be(0.5);
        result.F1.Should().Be(0.5);
        result.Missing.Should().Equal("b");
    }

    [Fact]
    public void Judge_agreement_reproduces_the_papers_kind_of_numbers()
    {
        // 100 turns the judge calls correct, 94 of them truly correct; 50 it calls wrong, 41 truly wrong.
        var labels = Enumerable.Repeat((true, true), 94).Concat(Enumerable.Repeat((true, false), 6))
            .Concat(Enumerable.Repeat((false, true), 9)).Concat(Enumerable.Repeat((false, false), 41));
        var agreement = JudgeAgreement.From(labels);

        agreement.Should().Be(new JudgeAgreement(94, 6, 9, 41));
        agreement.WhenJudgeSaysCorrect.Should().Be(0.94);
        agreement.WhenJudgeSaysWrong.Should().Be(0.82);
        agreement.Overall.Should().Be(0.9);
        // p_o = 0.9; p_e = (100·103 + 50·47) / 150² = 12650 / 22500.
        agreement.CohensKappa.Should().BeApproximately((0.9 - 12650.0 / 22500) / (1 - 12650.0 / 22500), 1e-12);
        JudgeAgreement.From([]).CohensKappa.Should().BeNull();
        JudgeAgreement.From([(true, true), (true, true)]).CohensKappa.Should().BeNull("chance agreement is 1");
    }

    [Theory]
    [InlineData(1, "clean {obj} with {recep}", "clean {obj} using {recep}")]
    [InlineData(1, "You heat the potato 2 with the microwave 1.", "You heat the potato 2 using the microwave 1.")]
    [InlineData(2, "go to {recep}", "move to {recep}")]
    [InlineData(2, "go to cabinet 3", "move to cabinet 3")]
    [InlineData(3, "take {obj} from {recep}", "from {recep} take {obj}")]
    [InlineData(3, "take apple 1 from countertop 2", "from countertop 2 take apple 1")]
    [InlineData(4, "You see a apple 1, and a mug 12.", "You see a apple1, and a mug12.")]
    [InlineData(4, "take {obj} from {recep}", "take {obj} from {recep}")]
    public void Alfworld_perturbations_transform_templates_and_texts(int variant, string text, string perturbed)
    {
        AlfworldPerturbation.Apply(variant, text).Should().Be(perturbed);
    }

    [Fact]
    public void Unknown_perturbations_are_refused()
    {
        var act = () => AlfworldPerturbation.Apply(5, "x");
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    /// <summary>The robustness table of method.md, recomputed: averages exact, population std of the AgentRefine row.</summary>
    [Theory]
    [InlineData("LLaMA3-8B-Instruct", new[] { 22.4, 23.1, 24.6, 17.9, 17.9, 22.4 }, new[] { 46.1, 45.6, 45.0, 45.1, 45.1, 46.1 }, 21.4, 45.5)]
    [InlineData("AgentGym", new[] { 61.9, 29.1, 49.2, 32.8, 38.8, 5.9 }, new[] { 76.9, 59.2, 65.3, 53.9, 48.2, 28.7 }, 36.3, 55.4)]
    [InlineData("Agent-FLAN", new[] { 67.2, 21.6, 51.4, 27.6, 52.2, 1.5 }, new[] { 79.7, 58.8, 71.3, 53.5, 67.9, 19.7 }, 36.9, 58.5)]
    [InlineData("AgentRefine", new[] { 44.8, 50.0, 51.5, 54.5, 45.5, 44.8 }, new[] { 63.8, 66.5, 66.7, 70.0, 60.6, 63.8 }, 48.5, 65.2)]
    public void The_papers_robustness_table_is_recomputed(string model, double[] success, double[] progress, double successMean, double progressMean)
    {
        var summary = new RobustnessSummary(success.Select((s, i) => (i == 0 ? "original" : $"pert. {i}", s, progress[i])).ToArray());
        Math.Round(summary.SuccessMean, 1).Should().Be(successMean, model);
        Math.Round(summary.ProgressMean, 1).Should().Be(progressMean, model);
        if (model == "AgentRefine")
        {
            Math.Round(summary.SuccessStandardDeviation, 2).Should().Be(3.73);
        }
    }
}
