//! Single-line text fields (names, titles): trimmed, bounded, free of control characters.
//! Markup is not stripped here: templates escape on output, so `<b>` stays literal text.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextProblem {
    #[error("Enter {0}")]
    Empty(&'static str),
    #[error("{0} must be {1} characters or fewer")]
    TooLong(&'static str, usize),
    #[error("{0} must not contain control characters")]
    ControlChars(&'static str),
}

/// `what` names the field in messages, e.g. "your full name".
pub fn clean_line(raw: &str, what: &'static str, max: usize) -> Result<String, TextProblem> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(TextProblem::Empty(what));
    }
    if s.chars().count() > max {
        return Err(TextProblem::TooLong(capitalise(what), max));
    }
    if s.chars().any(char::is_control) {
        return Err(TextProblem::ControlChars(capitalise(what)));
    }
    Ok(s.to_string())
}

fn capitalise(what: &'static str) -> &'static str {
    // Messages read "Name must…"; the field names used here are short fixed phrases.
    match what {
        "your full name" => "Full name",
        "a name" => "Name",
        "a summary" => "Summary",
        _ => what,
    }
}
