//! What people type to get an account: sign-up fields, a new password, a token's name. Each
//! check writes into one `Problems`, so a form reports every problem at once.

use lz_domain::{check_password, clean_line, EmailAddress};

use crate::{AppError, AppResult, Problems};

pub struct SignUp {
    pub email: String,
    pub name: String,
    pub password: String,
}

/// A sign-up (or an account created from the command line) that passed validation.
pub(crate) struct ValidAccount {
    pub email: EmailAddress,
    pub name: String,
}

impl SignUp {
    /// Checks the email, the name and the password; the password may not contain the
    /// person's own name or email parts.
    pub(crate) fn validate(&self) -> AppResult<ValidAccount> {
        let mut problems = Problems::default();
        let account = account_fields(&mut problems, &self.email, &self.name);
        let mut context: Vec<&str> = vec![];
        if let Some(email) = &account.0 {
            context.extend(email.as_str().split(['@', '.']));
        }
        context.extend(self.name.split_whitespace());
        problems.check("password", check_password(&self.password, &context));
        problems.into_result()?;
        valid(account)
    }
}

/// An account created by an administrator: the password is checked on its own.
pub(crate) fn direct_account(email: &str, name: &str, password: &str) -> AppResult<ValidAccount> {
    let mut problems = Problems::default();
    let account = account_fields(&mut problems, email, name);
    problems.check("password", check_password(password, &[]));
    problems.into_result()?;
    valid(account)
}

fn account_fields(
    problems: &mut Problems,
    email: &str,
    name: &str,
) -> (Option<EmailAddress>, Option<String>) {
    // In the form's order (name, then email), so the error summary follows the fields.
    let name = problems.check("name", clean_line(name, "your full name", 120));
    let email = problems.check("email", EmailAddress::parse(email));
    (email, name)
}

fn valid(account: (Option<EmailAddress>, Option<String>)) -> AppResult<ValidAccount> {
    match account {
        (Some(email), Some(name)) => Ok(ValidAccount { email, name }),
        _ => Err(AppError::internal("validated fields missing")),
    }
}

/// An email address typed to ask for a link (verification, password reset).
pub(crate) fn link_email(raw: &str) -> AppResult<EmailAddress> {
    EmailAddress::parse(raw).map_err(|_| {
        AppError::field(
            "email",
            "Enter an email address in the correct format, like name@example.org",
        )
    })
}

/// A new password chosen from a reset link: it may not contain the person's name or email.
pub(crate) fn new_password(password: &str, email: &str, name: &str) -> AppResult<()> {
    let mut context: Vec<&str> = email.split(['@', '.']).collect();
    context.extend(name.split_whitespace());
    check_password(password, &context).map_err(|e| AppError::field("password", e.to_string()))
}

/// The sign-in form: both fields filled in before anything is checked (or counted).
pub(crate) fn sign_in_fields(email: &str, password: &str) -> AppResult<()> {
    let mut problems = Problems::default();
    if email.trim().is_empty() {
        problems.add("email", "Enter your email address");
    }
    if password.is_empty() {
        problems.add("password", "Enter your password");
    }
    problems.into_result()
}

/// What an API token is for.
pub(crate) fn token_name(name: &str) -> AppResult<String> {
    clean_line(name, "a name", 80).map_err(|e| AppError::field("name", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(err: AppError) -> Vec<&'static str> {
        match err {
            AppError::Invalid(errs) => errs.into_iter().map(|e| e.field).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_sign_up_reports_every_bad_field_at_once() {
        let input = SignUp {
            email: "not an email".into(),
            name: "".into(),
            password: "short".into(),
        };
        let err = input.validate().err().expect("invalid");
        assert_eq!(fields(err), vec!["name", "email", "password"]);
    }

    #[test]
    fn a_new_password_is_checked_like_a_sign_up() {
        assert!(new_password("short", "w@example.org", "Wilhelmina").is_err());
        assert!(new_password(
            "correct horse battery staple moorland",
            "w@example.org",
            "W"
        )
        .is_ok());
    }

    #[test]
    fn a_token_needs_a_name() {
        assert_eq!(fields(token_name("  ").expect_err("empty")), vec!["name"]);
    }
}
