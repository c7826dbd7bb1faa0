//! Judging a value against a benchmark the way Fingertips does: by its 95% confidence
//! interval, so small-sample districts are not called better or worse on noise.

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    HigherIsBetter,
    LowerIsBetter,
    NoJudgement,
}

impl Polarity {
    pub const ALL: [Polarity; 3] = [
        Polarity::HigherIsBetter,
        Polarity::LowerIsBetter,
        Polarity::NoJudgement,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Polarity::HigherIsBetter => "higher_is_better",
            Polarity::LowerIsBetter => "lower_is_better",
            Polarity::NoJudgement => "no_judgement",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Polarity::HigherIsBetter => "Higher is better",
            Polarity::LowerIsBetter => "Lower is better",
            Polarity::NoJudgement => "Neither higher nor lower is better",
        }
    }

    /// Our codes and labels, Fingertips' polarity names ("RAG - High is good", "RAG - Low is
    /// good", "BOB - Blue orange blue", "Not applicable") and loose words ("higher", "low").
    pub fn parse(s: &str) -> Option<Polarity> {
        // Letters and digits only, so "RAG - High is good" and "higher_is_better" compare
        // as words.
        let norm: String = s
            .to_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        let words: Vec<&str> = norm.split_whitespace().collect();
        let words = match words.as_slice() {
            ["rag", rest @ ..] => rest,
            all => all,
        };
        match words {
            ["higher" | "high", rest @ ..] if is_good(rest) => Some(Polarity::HigherIsBetter),
            ["lower" | "low", rest @ ..] if is_good(rest) => Some(Polarity::LowerIsBetter),
            ["bob", ..]
            | ["no", "judgement" | "judgment"]
            | ["not", "applicable"]
            | ["n", "a"]
            | ["none"]
            | ["neither", ..] => Some(Polarity::NoJudgement),
            _ => None,
        }
    }
}

/// Nothing, or "is better" / "is good" / "better".
fn is_good(rest: &[&str]) -> bool {
    matches!(rest, [] | ["is", "better" | "good"] | ["better" | "good"])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    Better,
    Similar,
    Worse,
    Higher,
    Lower,
    NotCompared,
}

impl Comparison {
    pub const ALL: [Comparison; 6] = [
        Comparison::Better,
        Comparison::Similar,
        Comparison::Worse,
        Comparison::Higher,
        Comparison::Lower,
        Comparison::NotCompared,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Comparison::Better => "better",
            Comparison::Similar => "similar",
            Comparison::Worse => "worse",
            Comparison::Higher => "higher",
            Comparison::Lower => "lower",
            Comparison::NotCompared => "not_compared",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Comparison::NotCompared => "not compared",
            other => other.code(),
        }
    }

    /// Fingertips' words ("Better", "Worse", "Similar", "Higher", "Lower", "Not compared"),
    /// case-insensitive, and our codes. A trailing confidence level ("Better 95%") is allowed.
    pub fn parse(s: &str) -> Option<Comparison> {
        let s = s.trim().to_lowercase();
        let s = s
            .strip_suffix("95%")
            .or_else(|| s.strip_suffix("99.8%"))
            .unwrap_or(&s)
            .trim();
        let s = s.replace('_', " ");
        Comparison::ALL.into_iter().find(|c| c.word() == s)
    }
}

/// Compares a value with a benchmark (England) using the 95% confidence interval, as
/// Fingertips does: the interval wholly above or below the benchmark is significantly higher
/// or lower; overlapping it is "similar". No interval or no benchmark or no value:
/// NotCompared. The polarity turns higher/lower into better/worse (NoJudgement keeps
/// Higher/Lower).
pub fn compare(
    value: Option<f64>,
    ci: Option<(f64, f64)>,
    benchmark: Option<f64>,
    polarity: Polarity,
) -> Comparison {
    let (Some(value), Some((lower, upper)), Some(benchmark)) = (value, ci, benchmark) else {
        return Comparison::NotCompared;
    };
    // An interval that is not a number or is upside down is not one to judge by.
    let finite = [value, lower, upper, benchmark]
        .iter()
        .all(|x| x.is_finite());
    if !finite || lower > upper {
        return Comparison::NotCompared;
    }
    let higher = if lower > benchmark {
        true
    } else if upper < benchmark {
        false
    } else {
        return Comparison::Similar;
    };
    match (polarity, higher) {
        (Polarity::HigherIsBetter, true) | (Polarity::LowerIsBetter, false) => Comparison::Better,
        (Polarity::HigherIsBetter, false) | (Polarity::LowerIsBetter, true) => Comparison::Worse,
        (Polarity::NoJudgement, true) => Comparison::Higher,
        (Polarity::NoJudgement, false) => Comparison::Lower,
    }
}
