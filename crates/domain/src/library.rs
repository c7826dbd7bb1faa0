//! The learning library's rules: kinds of item, who may see them, the workflow from draft to
//! published, and a readable word-level diff between two versions.

use crate::network::code_enum;

code_enum!(
    /// What an item is.
    ItemKind {
        CaseStudy = "case_study" / "Story of change or case study",
        PracticeGuide = "practice_guide" / "Practice guide",
        Evaluation = "evaluation" / "Evaluation or report",
        Tool = "tool" / "Tool or template",
        EventMaterial = "event_material" / "Event material",
        LearningLog = "learning_log" / "Learning log entry",
    }
);

impl ItemKind {
    /// The kind as a reference names it, in square brackets after the title ("[Case
    /// study]"): shorter than the form's label.
    pub fn cited_as(self) -> &'static str {
        match self {
            ItemKind::CaseStudy => "Case study",
            ItemKind::PracticeGuide => "Practice guide",
            ItemKind::Evaluation => "Report",
            ItemKind::Tool => "Tool",
            ItemKind::EventMaterial => "Event material",
            ItemKind::LearningLog => "Learning log",
        }
    }
}

code_enum!(
    /// Who may see a published item.
    Visibility {
        Public = "public" / "Public: anyone, without signing in",
        Network = "network" / "Network: every signed-in partner",
        Place = "place" / "Place: members of organisations in the item's place",
        Organisation = "organisation" / "Organisation: members of the owning organisation",
    }
);

code_enum!(
    /// Where an item is in its workflow.
    ItemStatus {
        Draft = "draft" / "Draft",
        InReview = "in_review" / "In review",
        Published = "published" / "Published",
        Withdrawn = "withdrawn" / "Withdrawn",
    }
);

code_enum!(
    /// The managed vocabularies that tag items.
    Vocabulary {
        Theme = "theme" / "Theme",
        Agenda = "agenda" / "Agenda",
        Audience = "audience" / "Audience",
    }
);

code_enum!(
    /// Whether an attachment's text has been read for search.
    TextStatus {
        None = "none" / "No text to read",
        Pending = "pending" / "Text waiting to be read",
        Done = "done" / "Text read",
        Failed = "failed" / "Text could not be read",
    }
);

code_enum!(
    /// A person's marks on an item.
    Mark {
        Useful = "useful" / "Useful",
        Bookmark = "bookmark" / "Bookmark",
    }
);

/// What can happen to an item in the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Submit,
    Approve,
    SendBack,
    Withdraw,
    /// A withdrawn item goes back to draft to be worked on again.
    Reopen,
}

impl Transition {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim() {
            "submit" => Self::Submit,
            "approve" => Self::Approve,
            "send_back" => Self::SendBack,
            "withdraw" => Self::Withdraw,
            "reopen" => Self::Reopen,
            _ => return None,
        })
    }

    /// True for the moves that only a reviewer (moderator, place lead, network admin) makes.
    pub fn needs_reviewer(self) -> bool {
        matches!(self, Self::Approve | Self::SendBack)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("An item that is {from} cannot be {what}")]
pub struct NotAllowedFrom {
    pub from: &'static str,
    pub what: &'static str,
}

/// The status after `t`, or why `t` does not apply to an item in `from`.
pub fn next_status(from: ItemStatus, t: Transition) -> Result<ItemStatus, NotAllowedFrom> {
    use ItemStatus::*;
    let to = match (from, t) {
        (Draft, Transition::Submit) => InReview,
        (InReview, Transition::Approve) => Published,
        (InReview, Transition::SendBack) => Draft,
        (Published, Transition::Withdraw) | (InReview, Transition::Withdraw) => Withdrawn,
        (Withdrawn, Transition::Reopen) => Draft,
        _ => {
            return Err(NotAllowedFrom {
                from: match from {
                    Draft => "a draft",
                    InReview => "in review",
                    Published => "published",
                    Withdrawn => "withdrawn",
                },
                what: match t {
                    Transition::Submit => "submitted for review",
                    Transition::Approve => "approved",
                    Transition::SendBack => "sent back",
                    Transition::Withdraw => "withdrawn",
                    Transition::Reopen => "reopened",
                },
            })
        }
    };
    Ok(to)
}

/// A piece of a diff: unchanged, inserted or deleted text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DiffPart {
    /// "same", "ins" or "del".
    pub op: &'static str,
    pub text: String,
}

/// Word-level diff of one field between two versions, for the history page.
pub fn diff_words(old: &str, new: &str) -> Vec<DiffPart> {
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .timeout(std::time::Duration::from_millis(200))
        .diff_words(old, new);
    let mut parts: Vec<DiffPart> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            similar::ChangeTag::Equal => "same",
            similar::ChangeTag::Insert => "ins",
            similar::ChangeTag::Delete => "del",
        };
        match parts.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => parts.push(DiffPart {
                op,
                text: change.value().to_string(),
            }),
        }
    }
    parts
}

/// The link to a video or web page attached to an item: http(s) only, bounded.
pub fn parse_link(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim();
    if s.len() > 2000 {
        return Err("The link must be 2,000 characters or fewer");
    }
    let lower = s.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) || s.len() < 11 {
        return Err("Enter a link that starts with https:// or http://");
    }
    if s.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("A link cannot contain spaces or control characters");
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_moves() {
        use ItemStatus::*;
        assert_eq!(next_status(Draft, Transition::Submit), Ok(InReview));
        assert_eq!(next_status(InReview, Transition::Approve), Ok(Published));
        assert_eq!(next_status(InReview, Transition::SendBack), Ok(Draft));
        assert_eq!(next_status(Published, Transition::Withdraw), Ok(Withdrawn));
        assert_eq!(next_status(Withdrawn, Transition::Reopen), Ok(Draft));
        let e = next_status(Draft, Transition::Approve).unwrap_err();
        assert_eq!(e.to_string(), "An item that is a draft cannot be approved");
        assert!(next_status(Published, Transition::Submit).is_err());
    }

    #[test]
    fn diff_marks_inserted_and_deleted_words() {
        let d = diff_words("we ran a pilot", "we ran a bigger pilot");
        assert!(d.iter().any(|p| p.op == "ins" && p.text.contains("bigger")));
        assert!(d.iter().all(|p| p.op != "del"));
        let d = diff_words("a b c", "a c");
        assert!(d.iter().any(|p| p.op == "del" && p.text.contains('b')));
    }

    #[test]
    fn links_must_be_http() {
        assert!(parse_link("javascript:alert(1)").is_err());
        assert!(parse_link("https://youtu.be/abc").is_ok());
        assert!(parse_link("https://x.org/a b").is_err());
        assert!(parse_link("ftp://x.org/file").is_err());
    }
}
