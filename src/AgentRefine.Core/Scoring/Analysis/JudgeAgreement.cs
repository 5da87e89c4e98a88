namespace AgentRefine.Scoring;

/// <summary>
/// How an LLM judge of turn correctness agrees with human labels (the paper reports 94% agreement when
/// the judge says correct and 82% when it says wrong): the 2×2 confusion of judge against human, the
/// agreement conditioned on each judge verdict, overall agreement, and Cohen's kappa.
/// </summary>
/// <param name="BothCorrect">Judge correct, human correct.</param>
/// <param name="JudgeCorrectHumanWrong">Judge correct, human wrong.</param>
/// <param name="JudgeWrongHumanCorrect">Judge wrong, human correct.</param>
/// <param name="BothWrong">Judge wrong, human wrong.</param>
public sealed record JudgeAgreement(int BothCorrect, int JudgeCorrectHumanWrong, int JudgeWrongHumanCorrect, int BothWrong)
{
    /// <summary>Counts the confusion of labelled pairs.</summary>
    /// <param name="labels">(judge says correct, human says correct) per item.</param>
    /// <returns>The agreement.</returns>
    public static JudgeAgreement From(IEnumerable<(bool Judge, bool Human)> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        int tp = 0, fp = 0, fn = 0, tn = 0;
        foreach (var (judge, human) in labels)
        {
            if (judge && human)
            {
                tp++;
            }
            else if (judge)
            {
                fp++;
            }
            else if (human)
            {
                fn++;
            }
            else
            {
                tn++;
            }
        }

        return new JudgeAgreement(tp, fp, fn, tn);
    }

    /// <summary>Items labelled.</summary>
    public int Total => BothCorrect + JudgeCorrectHumanWrong + JudgeWrongHumanCorrect + BothWrong;

    /// <summary>Of the items the judge calls correct, the share humans also call correct; <see langword="null"/> when the judge calls none correct.</summary>
    public double? WhenJudgeSaysCorrect => BothCorrect + JudgeCorrectHumanWrong == 0 ? null : (double)BothCorrect / (BothCorrect + JudgeCorrectHumanWrong);

    /// <summary>Of the items the judge calls wrong, the share humans also call wrong; <see langword="null"/> when the judge calls none wrong.</summary>
    public double? WhenJudgeSaysWrong => JudgeWrongHumanCorrect + BothWrong == 0 ? null : (double)BothWrong / (JudgeWrongHumanCorrect + BothWrong);

    /// <summary>The share of items on which judge and human agree; <see langword="null"/> when there are none.</summary>
    public double? Overall => Total == 0 ? null : (double)(BothCorrect + BothWrong) / Total;

    /// <summary>Cohen's kappa: agreement beyond chance, <c>(p_o − p_e) / (1 − p_e)</c>; <see langword="null"/> when undefined (no items, or chance agreement of 1).</summary>
    public double? CohensKappa
    {
        get
        {
            if (Total == 0)
            {
                return null;
            }

            double n = Total;
            var observed = (BothCorrect + BothWrong) / n;
            var expected = ((BothCorrect + JudgeCorrectHumanWrong) * (double)(BothCorrect + JudgeWrongHumanCorrect) / (n * n))
                + ((JudgeWrongHumanCorrect + BothWrong) * (double)(JudgeCorrectHumanWrong + BothWrong) / (n * n));
            return expected >= 1 ? null : (observed - expected) / (1 - expected);
        }
    }
}
