//! Password rules after NCSC and NIST SP 800-63B: length and a check against common and
//! guessable passwords (zxcvbn), no composition rules, long passphrases welcome.

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("Password must be at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("Password must be {MAX_PASSWORD_CHARS} characters or fewer")]
    TooLong,
    #[error("Password is too easy to guess: {0}")]
    Guessable(String),
}

/// `context` holds words an attacker would try first for this person (name, email).
pub fn check_password(password: &str, context: &[&str]) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let estimate = zxcvbn::zxcvbn(password, context);
    if (estimate.score() as u8) < 3 {
        let hint = estimate
            .feedback()
            .and_then(|f| f.warning().map(|w| w.to_string()))
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| "try a longer phrase of unrelated words".to_string());
        return Err(PasswordProblem::Guessable(hint));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_passphrases_pass_without_composition_rules() {
        assert!(check_password("correct horse battery staple moorland", &[]).is_ok());
    }

    #[test]
    fn short_common_and_personal_passwords_fail() {
        assert_eq!(check_password("short", &[]), Err(PasswordProblem::TooShort));
        assert!(matches!(
            check_password("password123", &[]),
            Err(PasswordProblem::Guessable(_))
        ));
        assert!(matches!(
            check_password("bethkay2026!", &["beth", "kay", "bethkay"]),
            Err(PasswordProblem::Guessable(_))
        ));
        assert_eq!(
            check_password(&"x".repeat(300), &[]),
            Err(PasswordProblem::TooLong)
        );
    }
}
