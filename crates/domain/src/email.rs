//! Email addresses as the product accepts them: a practical subset of RFC 5321 that real
//! work addresses use, lower-cased so that one person has one account.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct EmailAddress(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailProblem {
    #[error("Enter an email address")]
    Empty,
    #[error("Enter an email address in the correct format, like name@example.org")]
    Malformed,
    #[error("Email address must be 254 characters or fewer")]
    TooLong,
}

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, EmailProblem> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err(EmailProblem::Empty);
        }
        if s.len() > 254 {
            return Err(EmailProblem::TooLong);
        }
        let (local, domain) = s.split_once('@').ok_or(EmailProblem::Malformed)?;
        if local.is_empty() || local.len() > 64 || domain.contains('@') {
            return Err(EmailProblem::Malformed);
        }
        let local_ok = local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        if !local_ok || !is_domain(domain) {
            return Err(EmailProblem::Malformed);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after `@`, used to match an organisation's verified domains.
    pub fn domain(&self) -> &str {
        self.0.split_once('@').map(|(_, d)| d).unwrap_or_default()
    }
}

/// A DNS name with at least two labels, as organisations' email domains are.
pub fn is_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_alphabetic()))
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_work_addresses_and_lowercases_them() {
        let e = EmailAddress::parse("  Beth.Kay@ActiveLancashire.org.uk ").unwrap();
        assert_eq!(e.as_str(), "beth.kay@activelancashire.org.uk");
        assert_eq!(e.domain(), "activelancashire.org.uk");
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in [
            "",
            "no-at-sign",
            "@example.org",
            "a@b",
            "a@@b.org",
            "a b@c.org",
            "a@-x.org",
            "a@x.org'; DROP TABLE users;--",
            "<script>@x.org",
            "a..b@x.org",
            "a@x.123",
        ] {
            assert!(
                EmailAddress::parse(bad).is_err(),
                "{bad} should be rejected"
            );
        }
        assert_eq!(
            EmailAddress::parse(&format!("{}@x.org", "a".repeat(300))),
            Err(EmailProblem::TooLong)
        );
    }
}
