//! What a person types into the item form (or sends to the API), and its checks: one
//! function per group of fields, all writing into one `Problems`; then the organisation,
//! place and terms are resolved against the database.

use std::collections::BTreeMap;

use lz_domain::citation::{Licence, PartialDate};
use lz_domain::clean_line;
use lz_domain::library::{ItemKind, Visibility};
use lz_store::library::{self as store, ItemContent};

use super::{Library, LibraryAccess};
use crate::{Actor, AppResult, Problems};

/// What a person typed into the item form (or sent to the API).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ItemInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub context: String,
    #[serde(default)]
    pub what_we_did: String,
    #[serde(default)]
    pub what_we_learned: String,
    #[serde(default)]
    pub do_differently: String,
    #[serde(default)]
    pub outcomes: String,
    #[serde(default)]
    pub contacts: String,
    #[serde(default)]
    pub body_md: String,
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub place_id: String,
    #[serde(default)]
    pub visibility: String,
    /// Term ids from any vocabulary.
    #[serde(default)]
    pub terms: Vec<String>,
    /// One author's name per line (or separated by commas).
    #[serde(default)]
    pub authors: String,
    /// One link per line: the address, then optionally a space and its title.
    #[serde(default)]
    pub links: String,
    /// When it was first published elsewhere: "2023", "May 2023", "14 May 2023" or ISO.
    #[serde(default)]
    pub original_date: String,
    /// A licence code (`lz_domain::citation::Licence`), or empty.
    #[serde(default)]
    pub licence: String,
    /// The authors as they should be cited, one per line ("Surname, Given names").
    #[serde(default)]
    pub cite_as: String,
}

impl super::ItemView {
    /// The item as its form shows it, to be changed and saved again.
    pub fn input(&self) -> ItemInput {
        let i = &self.item;
        ItemInput {
            kind: i.kind.code().to_string(),
            title: i.title.clone(),
            summary: i.summary.clone(),
            context: i.context.clone(),
            what_we_did: i.what_we_did.clone(),
            what_we_learned: i.what_we_learned.clone(),
            do_differently: i.do_differently.clone(),
            outcomes: i.outcomes.clone(),
            contacts: i.contacts.clone(),
            body_md: i.body_md.clone(),
            organisation_id: i.organisation_id.to_string(),
            place_id: i.place_id.as_deref().unwrap_or_default().to_string(),
            visibility: i.visibility.code().to_string(),
            terms: self.terms.iter().map(|t| t.term_id.to_string()).collect(),
            authors: self
                .authors
                .iter()
                .map(|a| a.name.clone())
                .collect::<Vec<_>>()
                .join("\n"),
            links: self
                .links
                .iter()
                .map(|l| format!("{} {}", l.url, l.title))
                .collect::<Vec<_>>()
                .join("\n"),
            original_date: i.original_date.map(|d| d.to_string()).unwrap_or_default(),
            licence: i.licence.map(|l| l.code().to_string()).unwrap_or_default(),
            cite_as: i.cite_as.join("\n"),
        }
    }
}

impl ItemInput {
    fn section(&self, field: &str) -> &str {
        match field {
            "context" => &self.context,
            "what_we_did" => &self.what_we_did,
            "what_we_learned" => &self.what_we_learned,
            "do_differently" => &self.do_differently,
            "outcomes" => &self.outcomes,
            _ => &self.contacts,
        }
    }
}

/// The structured sections of an item, in the order they are shown: (field, heading).
pub const SECTIONS: &[(&str, &str)] = &[
    ("context", "Context"),
    ("what_we_did", "What we did"),
    ("what_we_learned", "What we learned"),
    ("do_differently", "What we would do differently"),
    ("outcomes", "Outcomes and impact"),
    ("contacts", "Contacts"),
];

const MAX_SECTION: usize = 20_000;
const MAX_BODY: usize = 100_000;
const MAX_SUMMARY: usize = 1_000;
const MAX_AUTHORS: usize = 20;
const MAX_LINKS: usize = 20;

/// The text fields: kind, title, summary, the sections and the body.
fn text_fields(p: &mut Problems, input: &ItemInput) -> ItemContent {
    let kind = ItemKind::parse(&input.kind);
    if kind.is_none() {
        p.add("kind", "Choose what kind of item this is");
    }
    let title = p
        .check("title", clean_line(&input.title, "a title", 200))
        .unwrap_or_default();
    let summary = p.bounded("summary", "The summary", &input.summary, MAX_SUMMARY);
    if summary.is_empty() {
        p.add("summary", "Enter a summary of one or two sentences");
    }
    let mut sections: BTreeMap<&str, String> = BTreeMap::new();
    for (field, heading) in SECTIONS {
        let text = p.bounded(field, heading, input.section(field), MAX_SECTION);
        sections.insert(field, text);
    }
    let mut take = |f: &str| sections.remove(f).unwrap_or_default();
    ItemContent {
        kind: kind.map(|k| k.code().to_string()).unwrap_or_default(),
        title,
        summary,
        context: take("context"),
        what_we_did: take("what_we_did"),
        what_we_learned: take("what_we_learned"),
        do_differently: take("do_differently"),
        outcomes: take("outcomes"),
        contacts: take("contacts"),
        body_md: p.bounded("body_md", "The text", &input.body_md, MAX_BODY),
        ..ItemContent::default()
    }
}

/// Authors' names, one per line or separated by commas.
fn author_names(p: &mut Problems, raw: &str) -> Vec<String> {
    let mut authors = Vec::new();
    for name in raw
        .split(['\n', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match clean_line(name, "an author's name", 120) {
            Ok(n) => authors.push(n),
            Err(e) => p.add("authors", e),
        }
    }
    if authors.len() > MAX_AUTHORS {
        p.add("authors", format!("Name at most {MAX_AUTHORS} authors"));
    }
    authors
}

/// The citation details: the original publication date, the licence and the authors as
/// they should be cited.
fn citation_fields(p: &mut Problems, input: &ItemInput, content: &mut ItemContent) {
    let date = input.original_date.trim();
    if !date.is_empty() {
        match PartialDate::read(date) {
            Some(d) => content.original_date = Some(d.to_string()),
            None => p.add(
                "original_date",
                "Enter the original publication date as a year (2023), a month (May 2023) or a \
                 day (14 May 2023)",
            ),
        }
    }
    match input.licence.trim() {
        "" => {}
        code => match Licence::parse(code) {
            Some(l) => content.licence = l.code().to_string(),
            None => p.add("licence", "Choose a licence from the list"),
        },
    }
    let mut names = Vec::new();
    for name in input
        .cite_as
        .lines()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match clean_line(name, "an author's name as cited", 120) {
            Ok(n) => names.push(n),
            Err(e) => p.add("cite_as", e),
        }
    }
    if names.len() > MAX_AUTHORS {
        p.add("cite_as", format!("Name at most {MAX_AUTHORS} authors"));
    }
    content.cite_as = names.join("\n");
}

/// Links, one per line: the address, then optionally its title.
fn links(p: &mut Problems, raw: &str) -> Vec<(String, String)> {
    let mut links = Vec::new();
    for line in raw.lines().map(str::trim).filter(|s| !s.is_empty()) {
        let (url, title) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        match lz_domain::library::parse_link(url) {
            Ok(u) => {
                let t = title.trim();
                let t = if t.is_empty() {
                    u.clone()
                } else {
                    t.chars().take(200).collect()
                };
                links.push((u, t));
            }
            Err(e) => p.add("links", e),
        }
    }
    if links.len() > MAX_LINKS {
        p.add("links", format!("Add at most {MAX_LINKS} links"));
    }
    links
}

impl Library<'_> {
    /// Checks an item's input and resolves it into content to save.
    /// Checks an item as it would be saved, without saving it.
    pub async fn check(&self, actor: &Actor, input: &ItemInput) -> AppResult<()> {
        self.content(actor, input).await.map(|_| ())
    }

    pub(super) async fn content(&self, actor: &Actor, input: &ItemInput) -> AppResult<ItemContent> {
        let mut p = Problems::default();
        let mut content = text_fields(&mut p, input);
        let visibility = Visibility::parse(&input.visibility);
        if visibility.is_none() {
            p.add("visibility", "Choose who can see the item");
        }
        let authors = author_names(&mut p, &input.authors);
        content.links = links(&mut p, &input.links);
        citation_fields(&mut p, input, &mut content);
        let (organisation_id, place_id) = self.owner(&mut p, actor, input).await?;
        if visibility == Some(Visibility::Place) && place_id.is_none() {
            p.add(
                "place_id",
                "Choose the place whose members may see the item",
            );
        }
        content.term_ids = self.term_ids(&mut p, &input.terms).await?;
        p.into_result()?;
        content.organisation_id = organisation_id;
        content.place_id = place_id;
        content.visibility = visibility.map(|v| v.code().to_string()).unwrap_or_default();
        content.authors = authors.into_iter().map(|n| (None, n)).collect();
        Ok(content)
    }

    /// The organisation the item belongs to (one of the writer's own, unless they see
    /// everything) and its place (chosen, or the organisation's).
    async fn owner(
        &self,
        p: &mut Problems,
        actor: &Actor,
        input: &ItemInput,
    ) -> AppResult<(String, Option<String>)> {
        let mut c = self.app.db.acquire().await?;
        let org = match input.organisation_id.trim() {
            "" => None,
            id => lz_store::network::organisation_by_id(&mut c, id).await?,
        };
        match &org {
            None => p.add(
                "organisation_id",
                "Choose the organisation the item belongs to",
            ),
            Some(o) if !LibraryAccess::may_write_for(actor, &o.id) => {
                p.add("organisation_id", "Choose one of your own organisations")
            }
            _ => {}
        }
        let place_id = match input.place_id.trim() {
            "" => org.as_ref().and_then(|o| o.place_id.clone()),
            id => match lz_store::network::place_by_id(&mut c, id).await? {
                Some(pl) => Some(pl.id),
                None => {
                    p.add("place_id", "Choose a place from the list");
                    None
                }
            },
        };
        Ok((org.map(|o| o.id).unwrap_or_default(), place_id))
    }

    /// The chosen terms, a merged term standing for the one it was merged into.
    async fn term_ids(&self, p: &mut Problems, raw: &[String]) -> AppResult<Vec<String>> {
        let mut c = self.app.db.acquire().await?;
        let mut term_ids = Vec::new();
        for t in raw.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            match store::term_by_id(&mut c, t).await? {
                Some(term) => term_ids.push(term.merged_into.unwrap_or(term.id)),
                None => {
                    p.add(
                        "terms",
                        "Choose themes, agendas and audiences from the lists",
                    );
                    break;
                }
            }
        }
        term_ids.sort();
        term_ids.dedup();
        Ok(term_ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_report_each_problem_on_its_field() {
        let mut p = Problems::default();
        let input = ItemInput {
            kind: "poem".into(),
            outcomes: "a\u{7}b".into(),
            ..ItemInput::default()
        };
        text_fields(&mut p, &input);
        let fields: Vec<String> = match p.into_result() {
            Err(crate::AppError::Invalid(errs)) => {
                errs.into_iter().map(|e| e.field.to_string()).collect()
            }
            other => panic!("expected problems, got {other:?}"),
        };
        for f in ["kind", "title", "summary", "outcomes"] {
            assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
        }
    }

    #[test]
    fn links_take_an_optional_title_and_authors_split_on_commas() {
        let mut p = Problems::default();
        let l = links(
            &mut p,
            "https://example.org/a  A page\nhttps://example.org/b",
        );
        assert_eq!(l[0].1, "A page");
        assert_eq!(l[1].1, l[1].0);
        assert_eq!(author_names(&mut p, "Ann, Bob\nCid"), ["Ann", "Bob", "Cid"]);
        assert!(p.into_result().is_ok());
    }
}
