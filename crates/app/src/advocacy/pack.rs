//! The advocacy pack: a collection's outline handed to the shared document pipeline
//! (`crate::documents`), which writes it as DOCX, tagged PDF and PPTX. The title page; each
//! section with its text and its claims (figure, claim, numbered citation, source line, and
//! speaker notes that narrate it: the claim in context, the strength of its evidence, the
//! place's story); the ask; the references; and an appendix tracing every citation to its
//! record in Learning Zone.

use lz_domain::evidence::EvidenceType;

use super::{Advocacy, CollectionView, PackEntry};
use crate::documents::{self, Block, Cell, Claim, Column, Document, Table};
use crate::evidence::{EvidenceRecord, EvidenceSource};
use crate::{Actor, AppError, AppResult};

/// The pack's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackFormat {
    Docx,
    Pdf,
    Pptx,
}

impl PackFormat {
    /// From a file extension ("docx", "pdf", "pptx").
    pub fn parse(ext: &str) -> Option<Self> {
        match ext {
            "docx" => Some(Self::Docx),
            "pdf" => Some(Self::Pdf),
            "pptx" => Some(Self::Pptx),
            _ => None,
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Self::Docx => "docx",
            Self::Pdf => "pdf",
            Self::Pptx => "pptx",
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Pdf => "application/pdf",
            Self::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
        }
    }
}

/// A generated pack file.
pub struct PackFile {
    pub bytes: Vec<u8>,
    pub file_name: String,
    pub content_type: &'static str,
}

/// "Blackpool Council, 12 March 2025" and the like: the source in one line.
fn source_line(r: &EvidenceRecord) -> String {
    let mut parts: Vec<String> = Vec::new();
    match &r.source {
        EvidenceSource::Item { title, locator, .. } => {
            parts.push(title.clone());
            if !locator.is_empty() {
                parts.push(locator.clone());
            }
            parts.extend(r.organisations.iter().map(|o| o.name.clone()));
        }
        EvidenceSource::External {
            title,
            publisher,
            date,
            ..
        } => {
            parts.push(title.clone());
            if !publisher.is_empty() {
                parts.push(publisher.clone());
            }
            if let Some(d) = date {
                parts.push(documents::long_date(d));
            }
        }
    }
    parts.retain(|p| !p.trim().is_empty());
    format!(
        "{} — {}, Nesta level {}",
        parts.join(", "),
        r.evidence_type.label().to_lowercase(),
        r.strength.level()
    )
}

fn names(l: &[crate::evidence::EvidenceLink]) -> String {
    l.iter()
        .map(|x| x.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The narration for a claim's slide.
fn notes(e: &PackEntry) -> String {
    let r = &e.record;
    let mut n = vec![r.claim.clone()];
    if !r.places.is_empty() {
        n.push(format!("This is from {}.", names(&r.places)));
    }
    let m = &r.measure;
    if let Some(v) = &m.value {
        let mut s = format!(
            "The measure: {} {}{}",
            if m.name.is_empty() {
                "a value of"
            } else {
                m.name.as_str()
            },
            v,
            if m.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", m.unit)
            }
        );
        if let Some(b) = &m.baseline {
            s.push_str(&format!(", against a baseline of {b}"));
        }
        if !m.period.is_empty() {
            s.push_str(&format!(", over {}", m.period));
        }
        if let Some(n) = m.sample_size {
            s.push_str(&format!(", from a sample of {n}"));
        }
        s.push('.');
        n.push(s);
    }
    n.push(format!(
        "How strong the evidence is: {} — {}.",
        r.evidence_type.label(),
        r.strength.label()
    ));
    if r.evidence_type == EvidenceType::Testimony {
        n.push(if r.consent_to_quote {
            "The person quoted agreed to be quoted.".to_string()
        } else {
            "Paraphrase this: the person has not agreed to be quoted word for word.".to_string()
        });
    }
    n.push(format!("Source [{}]: {}.", e.number, source_line(r)));
    n.join(" ")
}

fn column(title: &str, weight: u16) -> Column {
    Column {
        title: title.to_string(),
        weight,
        numeric: false,
        unbroken: false,
    }
}

/// "[10]" stays on one line.
fn number_column() -> Column {
    Column {
        title: "No.".into(),
        weight: 7,
        numeric: false,
        unbroken: true,
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn paragraphs(body: &str) -> impl Iterator<Item = String> + '_ {
    body.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
}

/// The pack as the document pipeline's outline.
pub fn outline(v: &CollectionView, site: &str, base_url: &url::Url, as_at: &str) -> Document {
    let c = &v.collection;
    let mut blocks = vec![Block::TitlePage {
        subtitle: format!("Version {}, {}", c.version, documents::long_date(as_at)),
        about: if c.summary.is_empty() {
            format!(
                "{} claims from the network's evidence bank.",
                v.record_count()
            )
        } else {
            c.summary.clone()
        },
    }];
    blocks.push(Block::Notes(
        format!(
            "{} This pack draws on {} evidence records{}{}. Every figure is cited; the references \
         and the appendix say where each comes from.",
            c.summary,
            v.record_count(),
            if v.places.is_empty() {
                String::new()
            } else {
                format!(" from {} places", v.places.len())
            },
            if v.agendas.is_empty() {
                String::new()
            } else {
                format!(
                    ", serving {}",
                    v.agendas
                        .iter()
                        .map(|a| a.name.to_lowercase())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
        )
        .trim()
        .to_string(),
    ));
    for s in &v.sections {
        blocks.push(Block::Heading(2, s.heading.clone()));
        blocks.extend(paragraphs(&s.body).map(Block::Para));
        if !s.body.trim().is_empty() {
            blocks.push(Block::Notes(
                s.body.split_whitespace().collect::<Vec<_>>().join(" "),
            ));
        }
        for e in &s.entries {
            let r = &e.record;
            blocks.push(Block::Claim(Claim {
                number: e.number,
                figure: lz_domain::advocacy::figure(r.measure.value.as_deref(), &r.measure.unit),
                text: r.claim.clone(),
                source: source_line(r),
                notes: notes(e),
            }));
        }
    }
    if !c.ask.trim().is_empty() {
        blocks.push(Block::Heading(2, "The ask".into()));
        blocks.extend(paragraphs(&c.ask).map(Block::Para));
        blocks.push(Block::Notes(
            c.ask.split_whitespace().collect::<Vec<_>>().join(" "),
        ));
    }
    let entries: Vec<&PackEntry> = v.entries().collect();
    if !entries.is_empty() {
        blocks.push(Block::Heading(2, "References".into()));
        blocks.push(Block::Table(Table {
            columns: vec![
                number_column(),
                column("Source", 40),
                column("Place", 20),
                column("Date", 14),
                column("Type and strength", 21),
            ],
            rows: entries
                .iter()
                .map(|e| {
                    let r = &e.record;
                    let date = match &r.source {
                        EvidenceSource::External { date: Some(d), .. } => documents::long_date(d),
                        _ => r
                            .published_at
                            .map(|ms| documents::long_date(&day_of(ms)))
                            .unwrap_or_default(),
                    };
                    vec![
                        text(format!("[{}]", e.number)),
                        text(
                            source_line(r)
                                .split(" — ")
                                .next()
                                .unwrap_or_default()
                                .to_string(),
                        ),
                        text(names(&r.places)),
                        text(date),
                        text(format!(
                            "{}, Nesta level {}",
                            r.evidence_type.label(),
                            r.strength.level()
                        )),
                    ]
                })
                .collect(),
        }));
        // Tables only under these two headings: the slide deck leaves them to the document.
        blocks.push(Block::Heading(
            2,
            "Appendix: each citation's record in the evidence bank".into(),
        ));
        blocks.push(Block::Table(Table {
            columns: vec![number_column(), column("Claim", 50), column("Record", 42)],
            rows: entries
                .iter()
                .map(|e| {
                    let link = base_url
                        .join(&format!("/evidence/{}", e.record.id))
                        .map(|u| u.to_string())
                        .unwrap_or_default();
                    vec![
                        text(format!("[{}]", e.number)),
                        text(e.record.claim.clone()),
                        text(link),
                    ]
                })
                .collect(),
        }));
    }
    Document {
        title: c.title.clone(),
        site: site.to_string(),
        running: format!("{} · version {}", c.title, c.version),
        brand: [0x1D, 0x4F, 0x91],
        logo: None,
        blocks,
    }
}

/// The ISO day of a time in milliseconds.
fn day_of(ms: i64) -> String {
    lz_domain::dates::utc_date(ms.div_euclid(1000))
        .map(lz_domain::dates::iso)
        .unwrap_or_default()
}

/// A file name from the title: letters, digits and dashes.
fn file_name(title: &str, ext: &str) -> String {
    let mut s: String = title
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() {
                ch.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    let s = s.trim_matches('-');
    let s: String = s.chars().take(60).collect();
    format!("{}.{ext}", if s.is_empty() { "pack" } else { &s })
}

impl Advocacy<'_> {
    /// The pack of a collection the reader may open, in one format.
    pub async fn pack(
        &self,
        actor: Option<&Actor>,
        id: &str,
        format: PackFormat,
    ) -> AppResult<PackFile> {
        let view = self.collection(actor, id).await?;
        self.render(&view, format).await
    }

    /// The pack of a share link's collection.
    pub async fn shared_pack(&self, token: &str, format: PackFormat) -> AppResult<PackFile> {
        let shared = self.open_share(token, true).await?;
        self.render(&shared.view, format).await
    }

    /// Writes the file on the blocking pool: a large pack takes CPU for a good part of a
    /// second (measured by `lz-bench-pack`), which must not hold up the server's other
    /// requests.
    pub(crate) async fn render(
        &self,
        view: &CollectionView,
        format: PackFormat,
    ) -> AppResult<PackFile> {
        let today = day_of(self.app.now());
        let mut doc = outline(
            view,
            &self.app.config.site_name,
            &self.app.config.base_url,
            &today,
        );
        doc.brand = self.app.config.brand_rgb();
        doc.logo = self.app.config.logo_png.as_ref().map(|l| documents::Logo {
            png: l.0.to_vec(),
            alt: format!("{} logo", self.app.config.host_name),
        });
        let bytes = tokio::task::spawn_blocking(move || match format {
            PackFormat::Docx => documents::docx(&doc),
            PackFormat::Pdf => documents::pdf(&doc),
            PackFormat::Pptx => documents::pptx(&doc),
        })
        .await
        .map_err(|e| AppError::internal(format!("writing a pack: {e}")))?
        .map_err(|e| match e {
            AppError::Internal(cause) => AppError::Internal(cause.context(format!(
                "writing the pack of collection {} as {}",
                view.collection.id,
                format.extension()
            ))),
            other => other,
        })?;
        Ok(PackFile {
            bytes,
            file_name: file_name(&view.collection.title, format.extension()),
            content_type: format.content_type(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_plain() {
        assert_eq!(
            file_name("Manifesto for PAS in the North West", "pptx"),
            "manifesto-for-pas-in-the-north-west.pptx"
        );
        assert_eq!(file_name("<script>", "pdf"), "script.pdf");
        assert_eq!(file_name("Zoë's ✓", "docx"), "zo-s.docx");
        assert_eq!(file_name("", "pdf"), "pack.pdf");
    }
}
