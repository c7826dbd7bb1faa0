//! A quick look inside a generated file, without a ZIP or PDF library: the ZIP central
//! directory's entry names (DOCX and PPTX are ZIP packages) and the PDF's page objects.

/// What a file looks like: its structure check and, where it can be counted, its slides or pages.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Look {
    /// `None` when the file looks like its format; else what is wrong.
    pub(crate) problem: Option<String>,
    /// PPTX: `ppt/slides/slideN.xml` entries; PDF: `/Type /Page` objects; DOCX: none.
    pub(crate) units: Option<usize>,
}

pub(crate) fn look(ext: &str, body: &[u8]) -> Look {
    match ext {
        "docx" => match zip_names(body) {
            None => bad("not a ZIP package"),
            Some(n) if !n.iter().any(|x| x == "word/document.xml") => bad("no word/document.xml"),
            Some(_) => Look {
                problem: None,
                units: None,
            },
        },
        "pptx" => match zip_names(body) {
            None => bad("not a ZIP package"),
            Some(n) => {
                let slides = n.iter().filter(|x| is_slide(x)).count();
                Look {
                    problem: (slides == 0).then(|| "no ppt/slides/slideN.xml".to_string()),
                    units: Some(slides),
                }
            }
        },
        "pdf" => {
            let tail = &body[body.len().saturating_sub(1024)..];
            if !body.starts_with(b"%PDF-") {
                bad("does not start with %PDF-")
            } else if !contains(tail, b"%%EOF") {
                bad("no %%EOF at the end")
            } else {
                let pages = pdf_pages(body);
                Look {
                    problem: None,
                    units: (pages > 0).then_some(pages),
                }
            }
        }
        _ => bad("unknown format"),
    }
}

fn bad(why: &str) -> Look {
    Look {
        problem: Some(why.to_string()),
        units: None,
    }
}

fn is_slide(name: &str) -> bool {
    name.strip_prefix("ppt/slides/slide")
        .and_then(|r| r.strip_suffix(".xml"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Page objects (`/Type /Page`, not `/Pages`) written in the clear; 0 when they are in
/// compressed object streams.
fn pdf_pages(body: &[u8]) -> usize {
    const NEEDLE: &[u8] = b"/Type /Page";
    body.windows(NEEDLE.len() + 1)
        .filter(|w| w.starts_with(NEEDLE) && !w[NEEDLE.len()].is_ascii_alphanumeric())
        .count()
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    let s = b.get(at..at + 2)?;
    Some(usize::from(u16::from_le_bytes([s[0], s[1]])))
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    let s = b.get(at..at + 4)?;
    usize::try_from(u32::from_le_bytes([s[0], s[1], s[2], s[3]])).ok()
}

/// The names in a ZIP's central directory (no ZIP64); `None` if it is not a ZIP.
pub(crate) fn zip_names(b: &[u8]) -> Option<Vec<String>> {
    const EOCD: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
    const CDFH: [u8; 4] = [0x50, 0x4b, 0x01, 0x02];
    let last = b.len().checked_sub(22)?;
    let first = last.saturating_sub(65_535);
    let eocd = (first..=last)
        .rev()
        .find(|&i| b.get(i..i + 4) == Some(&EOCD[..]))?;
    let entries = u16_at(b, eocd + 10)?;
    let mut at = u32_at(b, eocd + 16)?;
    let mut names = Vec::with_capacity(entries);
    for _ in 0..entries {
        if b.get(at..at + 4) != Some(&CDFH[..]) {
            return None;
        }
        let name_len = u16_at(b, at + 28)?;
        let extra = u16_at(b, at + 30)?;
        let comment = u16_at(b, at + 32)?;
        let name = b.get(at + 46..at + 46 + name_len)?;
        names.push(String::from_utf8_lossy(name).into_owned());
        at += 46 + name_len + extra + comment;
    }
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored (uncompressed) ZIP with the given empty entries.
    fn zip_of(names: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for name in names {
            let offset = out.len() as u32;
            out.extend_from_slice(&[0x50, 0x4b, 0x03, 0x04]);
            out.extend_from_slice(&[0; 22]);
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            central.extend_from_slice(&[0x50, 0x4b, 0x01, 0x02]);
            central.extend_from_slice(&[0; 24]);
            central.extend_from_slice(&(name.len() as u16).to_le_bytes());
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0]);
        out.extend_from_slice(&(names.len() as u16).to_le_bytes());
        out.extend_from_slice(&(names.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    #[test]
    fn counts_slides_in_a_zip() {
        let z = zip_of(&[
            "[Content_Types].xml",
            "ppt/slides/slide1.xml",
            "ppt/slides/slide2.xml",
            "ppt/slides/_rels/slide1.xml.rels",
            "ppt/slideLayouts/slideLayout1.xml",
        ]);
        assert_eq!(zip_names(&z).map(|n| n.len()), Some(5));
        assert_eq!(look("pptx", &z).units, Some(2));
        assert_eq!(
            look("docx", &z).problem.as_deref(),
            Some("no word/document.xml")
        );
        assert!(look("docx", &zip_of(&["word/document.xml"]))
            .problem
            .is_none());
        assert!(look("pptx", b"not a zip at all, just text")
            .problem
            .is_some());
    }

    #[test]
    fn counts_pdf_pages() {
        let pdf = b"%PDF-1.7\n1 0 obj << /Type /Pages /Count 2 >>\n2 0 obj << /Type /Page >>\n3 0 obj <</Type /Page/Parent 1 0 R>>\n%%EOF\n";
        assert_eq!(look("pdf", pdf).units, Some(2));
        assert!(look("pdf", b"%PDF-1.7 truncated").problem.is_some());
    }
}
