//! The evidence bank's rules: kinds of evidence, the strength scale (the Nesta Standards of
//! Evidence, levels 1–5), the workflow draft → checked → published with its "never your own"
//! rule, and reading a measure's numbers. No I/O.

use crate::network::code_enum;

code_enum!(
    /// How the evidence was gathered.
    EvidenceType {
        RandomisedTrial = "randomised_trial" / "Randomised trial",
        QuasiExperimental = "quasi_experimental" / "Quasi-experimental study",
        Evaluation = "evaluation" / "Evaluation",
        MonitoringData = "monitoring_data" / "Monitoring data",
        Survey = "survey" / "Survey",
        CaseStudy = "case_study" / "Case study",
        Testimony = "testimony" / "Testimony",
    }
);

code_enum!(
    /// Where an evidence record is in its workflow.
    EvidenceStatus {
        Draft = "draft" / "Draft",
        Checked = "checked" / "Checked",
        Published = "published" / "Published",
    }
);

/// A level on the Nesta Standards of Evidence (1 lowest, 5 highest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Strength(u8);

/// Each level of the Nesta Standards of Evidence, in a few words.
pub const NESTA_LEVELS: [(u8, &str); 5] = [
    (1, "Level 1: we can describe what we do and why it matters"),
    (2, "Level 2: we capture data that shows positive change"),
    (
        3,
        "Level 3: we can show we caused some of the change (a comparison group)",
    ),
    (
        4,
        "Level 4: an independent replicable evaluation confirms the impact",
    ),
    (
        5,
        "Level 5: the approach works at scale, replicated by others",
    ),
];

impl Strength {
    /// A level as typed: a whole number from 1 to 5.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        match raw.trim().parse::<u8>() {
            Ok(n @ 1..=5) => Ok(Self(n)),
            _ => Err("Choose a level of the Nesta Standards of Evidence from 1 to 5"),
        }
    }

    pub fn level(self) -> u8 {
        self.0
    }

    pub fn label(self) -> &'static str {
        NESTA_LEVELS[usize::from(self.0 - 1)].1
    }
}

/// A measure's value or baseline: a decimal number ("17", "-3.5", "1,200"); text is refused.
pub fn read_number(raw: &str) -> Result<f64, &'static str> {
    let cleaned: String = raw.trim().chars().filter(|c| *c != ',').collect();
    match cleaned.parse::<f64>() {
        Ok(n)
            if n.is_finite()
                && !cleaned.is_empty()
                && !cleaned.contains(['e', 'E', 'i', 'n', 'N']) =>
        {
            Ok(n)
        }
        _ => Err("must be a number, like 17 or 3.5"),
    }
}

/// A sample size: a whole number of at least 1.
pub fn read_sample_size(raw: &str) -> Result<i64, &'static str> {
    match raw.trim().parse::<i64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("Sample size must be a whole number, like 120"),
    }
}

/// Why a workflow step is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRefused {
    /// The step does not follow from the record's status.
    WrongStatus,
    /// Nobody checks or publishes their own evidence.
    OwnRecord,
}

/// Checking: a draft, by someone other than its author.
pub fn may_check(status: EvidenceStatus, author: &str, checker: &str) -> Result<(), StepRefused> {
    if author == checker {
        Err(StepRefused::OwnRecord)
    } else if status != EvidenceStatus::Draft {
        Err(StepRefused::WrongStatus)
    } else {
        Ok(())
    }
}

/// Publishing: a checked record, by someone other than its author.
pub fn may_publish(
    status: EvidenceStatus,
    author: &str,
    publisher: &str,
) -> Result<(), StepRefused> {
    if author == publisher {
        Err(StepRefused::OwnRecord)
    } else if status != EvidenceStatus::Checked {
        Err(StepRefused::WrongStatus)
    } else {
        Ok(())
    }
}

/// Testimony is quoted only with the person's consent.
pub fn consent_needed(kind: EvidenceType) -> bool {
    kind == EvidenceType::Testimony
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strength_is_a_nesta_level_from_one_to_five() {
        assert_eq!(Strength::parse("3").map(Strength::level), Ok(3));
        assert!(Strength::parse("5").is_ok());
        for bad in ["0", "6", "", "three", "2.5", "-1"] {
            assert!(Strength::parse(bad).is_err(), "{bad}");
        }
        assert!(Strength::parse("1")
            .map(Strength::label)
            .unwrap_or_default()
            .starts_with("Level 1"));
    }

    #[test]
    fn a_measure_value_is_a_number_and_text_is_refused() {
        assert_eq!(read_number("17"), Ok(17.0));
        assert_eq!(read_number(" -3.5 "), Ok(-3.5));
        assert_eq!(read_number("1,200"), Ok(1200.0));
        for bad in ["lots", "", "NaN", "inf", "1e9", "17 %"] {
            assert!(read_number(bad).is_err(), "{bad}");
        }
        assert_eq!(read_sample_size("120"), Ok(120));
        assert!(read_sample_size("0").is_err());
        assert!(read_sample_size("many").is_err());
    }

    #[test]
    fn nobody_checks_or_publishes_their_own_and_steps_go_in_order() {
        use EvidenceStatus::*;
        assert_eq!(may_check(Draft, "a", "a"), Err(StepRefused::OwnRecord));
        assert_eq!(may_check(Draft, "a", "b"), Ok(()));
        assert_eq!(may_check(Checked, "a", "b"), Err(StepRefused::WrongStatus));
        assert_eq!(may_publish(Draft, "a", "b"), Err(StepRefused::WrongStatus));
        assert_eq!(may_publish(Checked, "a", "a"), Err(StepRefused::OwnRecord));
        assert_eq!(may_publish(Checked, "a", "b"), Ok(()));
        assert_eq!(
            may_publish(Published, "a", "b"),
            Err(StepRefused::WrongStatus)
        );
    }

    #[test]
    fn only_testimony_needs_consent_to_quote() {
        for kind in EvidenceType::ALL {
            assert_eq!(consent_needed(*kind), *kind == EvidenceType::Testimony);
        }
    }
}
