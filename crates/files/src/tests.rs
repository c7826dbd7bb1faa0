//! Crate-level tests of sniffing and extraction against generated documents, hostile
//! inputs (executables, markup, zip bombs, garbage PDFs) and the sample builders.

use std::io::{Cursor, Write};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::{extract_text, samples, sniff, ExtractLimits, FileError, FileKind};

const LIMIT: u64 = 20 * 1024 * 1024;

fn not_allowed(bytes: &[u8]) -> String {
    match sniff(bytes, LIMIT) {
        Err(FileError::NotAllowed { detected }) => detected,
        other => panic!("expected NotAllowed, got {other:?}"),
    }
}

/// A plausible ELF header: magic, 64-bit, little-endian, executable, x86-64.
fn elf() -> Vec<u8> {
    let mut b = vec![0x7F, b'E', b'L', b'F', 2, 1, 1, 0];
    b.resize(16, 0);
    b.extend_from_slice(&[2, 0, 0x3E, 0, 1, 0, 0, 0]);
    b.resize(128, 0);
    b
}

/// A plausible DOS/PE header ("MZ" stub).
fn pe() -> Vec<u8> {
    let mut b = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF\x00\x00".to_vec();
    b.resize(0x3C, 0);
    b.extend_from_slice(&[0x80, 0, 0, 0]);
    b.extend_from_slice(b"This program cannot be run in DOS mode.\r\r\n$");
    b.resize(0x80, 0);
    b.extend_from_slice(b"PE\0\0");
    b.resize(512, 0);
    b
}

fn plain_zip(names: &[&str]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for name in names {
        w.start_file(*name, SimpleFileOptions::default()).unwrap();
        w.write_all(b"<x/>").unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn sniff_accepts_the_real_kinds() {
    let pdf = samples::pdf("Title", &["Body"]);
    assert_eq!(sniff(&pdf, LIMIT).unwrap(), FileKind::Pdf);
    assert_eq!(
        sniff(&samples::docx(&["a"]), LIMIT).unwrap(),
        FileKind::Docx
    );
    assert_eq!(
        sniff(&samples::pptx(&["a"]), LIMIT).unwrap(),
        FileKind::Pptx
    );
    let xlsx = plain_zip(&["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"]);
    assert_eq!(sniff(&xlsx, LIMIT).unwrap(), FileKind::Xlsx);
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    assert_eq!(sniff(png, LIMIT).unwrap(), FileKind::Png);
    assert_eq!(
        sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0", LIMIT).unwrap(),
        FileKind::Jpeg
    );
    assert_eq!(sniff(b"GIF89a\x01\0\x01\0", LIMIT).unwrap(), FileKind::Gif);
    assert_eq!(
        sniff(b"RIFF\x24\0\0\0WEBPVP8 ", LIMIT).unwrap(),
        FileKind::Webp
    );
}

#[test]
fn sniff_accepts_csv_text() {
    assert_eq!(
        sniff(b"\xEF\xBB\xBFname,score\nAna,3\n", LIMIT).unwrap(),
        FileKind::Csv
    );
    assert_eq!(
        sniff("städte;zahl\r\nKöln;1".as_bytes(), LIMIT).unwrap(),
        FileKind::Csv
    );
    assert_eq!(sniff(b"one line no newline", LIMIT).unwrap(), FileKind::Csv);
    // Starts with BMP's magic "BM" but is plainly text.
    assert_eq!(sniff(b"BMI,weight\n22,70\n", LIMIT).unwrap(), FileKind::Csv);
}

#[test]
fn sniff_refuses_executables_whatever_they_are_called() {
    for exe in [elf(), pe()] {
        let detected = not_allowed(&exe);
        assert!(detected.contains("executable"), "{detected}");
        let message = FileError::NotAllowed { detected }.to_string();
        assert!(message.starts_with("This file is an executable program ("));
        assert!(message.contains("Upload a PDF, Word, PowerPoint, Excel, CSV or image"));
    }
}

#[test]
fn sniff_refuses_scripts_and_markup() {
    assert!(not_allowed(b"#!/bin/sh\nrm -rf /\n").contains("script"));
    assert!(not_allowed(b"  #!/usr/bin/env python\nprint(1)\n").contains("script"));
    assert!(not_allowed(b"<!DOCTYPE html><html><body>x</body></html>").contains("HTML"));
    assert!(not_allowed(b"<html><script>alert(1)</script></html>").contains("HTML"));
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    assert!(not_allowed(svg).contains("SVG"));
    let svg = b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    assert!(not_allowed(svg).contains("SVG"));
    assert!(not_allowed(b"{\\rtf1\\ansi hello}").contains("Rich Text"));
}

#[test]
fn sniff_refuses_other_zips_and_binaries() {
    assert!(not_allowed(&plain_zip(&["readme.txt", "photo.jpg"])).contains("ZIP archive"));
    assert!(not_allowed(&plain_zip(&["META-INF/MANIFEST.MF", "a.class"])).contains("Java"));
    // A zip that only pretends, via a main part name but no content types.
    assert!(not_allowed(&plain_zip(&["word/document.xml"])).contains("ZIP"));
    let docm = plain_zip(&[
        "[Content_Types].xml",
        "word/document.xml",
        "word/vbaProject.bin",
    ]);
    assert!(not_allowed(&docm).contains("macros"));
    assert!(not_allowed(b"name,score\0\nAna,3").contains("binary"));
    assert!(not_allowed(b"\x00\x01\x02\x03garbage").contains("binary"));
    assert!(not_allowed(b"caf\xE9,1\n").contains("not UTF-8"));
    assert!(not_allowed(b"\xFF\xFEa\0,\0b\0").contains("UTF-16"));
    assert!(not_allowed(b"\x1f\x8b\x08\0\0\0\0\0\0\x03").contains("archive"));
    assert!(not_allowed(b"  \n\t ").contains("empty"));
}

#[test]
fn sniff_checks_emptiness_and_size_first() {
    assert!(matches!(sniff(b"", LIMIT), Err(FileError::Empty)));
    assert!(matches!(
        sniff(&elf(), 10),
        Err(FileError::TooLarge { limit: 10 })
    ));
    assert!(matches!(sniff(b"abc", 3), Ok(FileKind::Csv)));
    assert!(matches!(sniff(b"abcd", 3), Err(FileError::TooLarge { .. })));
    assert!(matches!(
        sniff(b"PK\x03\x04 not really a zip", LIMIT),
        Err(FileError::Unreadable(_))
    ));
}

#[test]
fn kind_codes_round_trip() {
    for kind in FileKind::ALL {
        assert_eq!(FileKind::parse(kind.code()), Some(kind));
        assert!(!kind.mime().is_empty() && !kind.label().is_empty());
        assert!(kind.extensions().contains(&kind.extension()));
    }
    assert_eq!(FileKind::parse("JPG"), Some(FileKind::Jpeg));
    assert_eq!(FileKind::parse("exe"), None);
    assert_eq!(FileKind::Pdf.label(), "PDF document");
    assert!(FileKind::Docx.has_text() && !FileKind::Png.has_text());
}

#[test]
fn pdf_round_trip() {
    let long = "Aquatic rehabilitation sessions improve mobility for older adults. ".repeat(40);
    let paragraphs: Vec<&str> = std::iter::once("Warm water hydrotherapy eases joint pain.")
        .chain(std::iter::repeat_n(long.as_str(), 4))
        .chain(std::iter::once(
            "Closing words: (parentheses) and back\\slash, café.",
        ))
        .collect();
    let pdf = samples::pdf("Hydrotherapy guide", &paragraphs);
    let text = extract_text(FileKind::Pdf, &pdf, &ExtractLimits::default()).unwrap();
    assert!(text.contains("hydrotherapy"), "{text}");
    // Title and paragraphs come back as separate paragraphs.
    assert!(
        text.starts_with("Hydrotherapy guide\n\nWarm water hydrotherapy eases joint pain.\n\n"),
        "{text}"
    );
    assert!(text.contains("(parentheses)"), "{text}");
    assert!(text.contains("café"), "{text}");
    // Long paragraphs were wrapped onto several pages.
    assert!(count(&pdf, b"/Type /Page\n") >= 2, "expected several pages");
    assert!(text.matches("mobility").count() >= 100);
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

#[test]
fn garbage_pdfs_are_unreadable_not_panics() {
    let pdf = samples::pdf("Title", &["Some body text"]);
    let inputs: Vec<Vec<u8>> = vec![
        pdf[..pdf.len() / 2].to_vec(),
        b"%PDF-1.7\n garbage garbage".to_vec(),
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"
            .to_vec(),
        pdf.iter().map(|b| if *b == b'0' { b'9' } else { *b }).collect(),
        Vec::new(),
    ];
    for bytes in inputs {
        match extract_text(FileKind::Pdf, &bytes, &ExtractLimits::default()) {
            Err(FileError::Unreadable(_)) => {}
            // Damage lopdf can repair is fine too; what matters is no panic.
            Ok(_) => {}
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }
    assert!(matches!(
        extract_text(
            FileKind::Pdf,
            b"%PDF-1.7\n garbage",
            &ExtractLimits::default()
        ),
        Err(FileError::Unreadable(_))
    ));
}

#[test]
fn docx_round_trip() {
    let docx = samples::docx(&[
        "First paragraph about hydrotherapy.",
        "Second & <special> \"quoted\" text",
        "",
        "Line one\nline two\tafter tab",
    ]);
    let text = extract_text(FileKind::Docx, &docx, &ExtractLimits::default()).unwrap();
    assert_eq!(
        text,
        "First paragraph about hydrotherapy.\n\n\
         Second & <special> \"quoted\" text\n\n\
         Line one\nline two\tafter tab"
    );
}

#[test]
fn pptx_round_trip_in_slide_order() {
    let slides: Vec<String> = (1..=12)
        .map(|i| format!("Slide {i} title\nPoint {i}"))
        .collect();
    let refs: Vec<&str> = slides.iter().map(String::as_str).collect();
    let pptx = samples::pptx(&refs);
    let text = extract_text(FileKind::Pptx, &pptx, &ExtractLimits::default()).unwrap();
    let expected: Vec<String> = (1..=12)
        .map(|i| format!("Slide {i} title\n\nPoint {i}"))
        .collect();
    // slide10 sorts before slide2 as a string; the order must be numeric.
    assert_eq!(text, expected.join("\n\n"));
}

#[test]
fn pptx_notes_follow_their_slide() {
    let ns = "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
              xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"";
    let slide = format!(
        "<p:sld {ns}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>Visible</a:t></a:r>\
         <a:fld type=\"slidenum\"><a:t>1</a:t></a:fld></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
    );
    let rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide\" \
        Target=\"../notesSlides/notesSlide7.xml\"/></Relationships>";
    let notes = format!(
        "<p:notes {ns}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>Speaker &amp; notes</a:t></a:r>\
         </a:p></p:txBody></p:sp></p:spTree></p:cSld></p:notes>"
    );
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in [
        ("[Content_Types].xml", "<Types/>".to_string()),
        ("ppt/presentation.xml", "<p:presentation/>".to_string()),
        ("ppt/slides/slide1.xml", slide),
        ("ppt/slides/_rels/slide1.xml.rels", rels.to_string()),
        ("ppt/notesSlides/notesSlide7.xml", notes),
    ] {
        w.start_file(name, SimpleFileOptions::default()).unwrap();
        w.write_all(data.as_bytes()).unwrap();
    }
    let pptx = w.finish().unwrap().into_inner();
    assert_eq!(sniff(&pptx, LIMIT).unwrap(), FileKind::Pptx);
    let text = extract_text(FileKind::Pptx, &pptx, &ExtractLimits::default()).unwrap();
    assert_eq!(text, "Visible\n\nSpeaker & notes");
}

#[test]
fn csv_and_images() {
    let limits = ExtractLimits::default();
    assert_eq!(
        extract_text(FileKind::Csv, b"\xEF\xBB\xBFa,b\r\n1,2\r\n", &limits).unwrap(),
        "a,b\n1,2"
    );
    assert_eq!(
        extract_text(FileKind::Png, b"\x89PNG", &limits).unwrap(),
        ""
    );
}

#[test]
fn text_is_cut_at_the_char_limit() {
    let limits = ExtractLimits {
        max_text_chars: 10,
        ..ExtractLimits::default()
    };
    let docx = samples::docx(&["ééééé ééééé ééééé", "more"]);
    let text = extract_text(FileKind::Docx, &docx, &limits).unwrap();
    assert_eq!(text, "ééééé éééé");
    assert_eq!(
        extract_text(FileKind::Csv, "ünïcödé text".as_bytes(), &limits).unwrap(),
        "ünïcödé te"
    );
}

/// 300 MB of spaces inside a paragraph, deflated at level 9 (about 300 kB), written
/// in chunks so the test never holds the whole thing. Built once for all bomb tests.
const BOMB_BYTES: u64 = 300 * 1024 * 1024;

fn docx_bomb() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(9))
            .large_file(false);
        w.start_file("[Content_Types].xml", options).unwrap();
        w.write_all(b"<Types/>").unwrap();
        w.start_file("word/document.xml", options).unwrap();
        let head = b"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>";
        w.write_all(head).unwrap();
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..(BOMB_BYTES / chunk.len() as u64) {
            w.write_all(&chunk).unwrap();
        }
        w.write_all(b"</w:t></w:r></w:p></w:body></w:document>").unwrap();
        w.finish().unwrap().into_inner()
    })
}

#[test]
fn zip_bomb_refused_by_default_limits() {
    let bomb = docx_bomb();
    assert!(bomb.len() < 2 * 1024 * 1024, "bomb is {} bytes", bomb.len());
    assert_eq!(sniff(bomb, LIMIT).unwrap(), FileKind::Docx);
    let started = Instant::now();
    let result = extract_text(FileKind::Docx, bomb, &ExtractLimits::default());
    assert!(
        matches!(result, Err(FileError::ArchiveTooLarge { .. })),
        "{result:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn zip_bomb_refused_by_small_entry_limit() {
    let limits = ExtractLimits {
        max_unpacked_bytes: u64::MAX,
        max_entry_bytes: 1024 * 1024,
        ..ExtractLimits::default()
    };
    let result = extract_text(FileKind::Docx, docx_bomb(), &limits);
    assert!(matches!(
        result,
        Err(FileError::ArchiveTooLarge { limit }) if limit == 1024 * 1024
    ));
}

/// Rewrites the declared uncompressed size of every entry (local headers and central
/// directory) to `size`, as an attacker would to get past declared-size checks.
fn lie_about_sizes(zip: &[u8], size: u32) -> Vec<u8> {
    let mut out = zip.to_vec();
    let mut i = 0;
    while i + 30 <= out.len() {
        if out[i..i + 4] == *b"PK\x03\x04" {
            out[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
        } else if out[i..i + 4] == *b"PK\x01\x02" {
            out[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
        }
        i += 1;
    }
    out
}

#[test]
fn zip_bomb_with_lying_headers_is_refused_quickly() {
    // The zip crate stops inflating at the declared size and reports the mismatch, so
    // this is Unreadable; extract::tests covers our own read limit on endless input.
    let liar = lie_about_sizes(docx_bomb(), 1000);
    let limits = ExtractLimits {
        max_entry_bytes: 2 * 1024 * 1024,
        ..ExtractLimits::default()
    };
    let started = Instant::now();
    let result = extract_text(FileKind::Docx, &liar, &limits);
    assert!(
        matches!(
            result,
            Err(FileError::ArchiveTooLarge { .. }) | Err(FileError::Unreadable(_))
        ),
        "{result:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn documents_give_their_title_and_date() {
    use crate::read_document;
    let limits = ExtractLimits::default();
    let docx = samples::with_properties(
        &samples::docx(&["Park walks brought new walkers."]),
        "Walking for health: an evaluation",
        "2023-05-14T10:00:00Z",
        b"picture",
    );
    assert_eq!(sniff(&docx, 1 << 20).unwrap(), FileKind::Docx);
    let d = read_document(FileKind::Docx, &docx, &limits).unwrap();
    assert_eq!(
        d.title.as_deref(),
        Some("Walking for health: an evaluation")
    );
    assert_eq!(d.date.as_deref(), Some("2023-05-14"));
    assert!(d.text.contains("Park walks"));

    let pdf = samples::pdf_padded(
        "Moving more in Hyndburn",
        &["Pools open to walkers."],
        &[7u8; 5000],
    );
    let d = read_document(FileKind::Pdf, &pdf, &limits).unwrap();
    assert_eq!(d.title.as_deref(), Some("Moving more in Hyndburn"));
    assert!(d.text.contains("Pools open to walkers"), "{}", d.text);

    let xlsx = samples::with_properties(
        &samples::xlsx(&["Year"]),
        "Microsoft Excel - figures.xlsx",
        "1601-01-01T00:00:00Z",
        &[],
    );
    assert_eq!(sniff(&xlsx, 1 << 20).unwrap(), FileKind::Xlsx);
    let d = read_document(FileKind::Xlsx, &xlsx, &limits).unwrap();
    assert_eq!(
        (d.title, d.date, d.text.as_str()),
        (None, None, ""),
        "a program's title and an impossible date are not kept"
    );

    let pptx = samples::with_properties(
        &samples::pptx(&["Bikeability"]),
        "PowerPoint Presentation",
        "2024-02-30T00:00:00Z",
        &[],
    );
    let d = read_document(FileKind::Pptx, &pptx, &limits).unwrap();
    assert_eq!((d.title, d.date), (None, None));
    assert!(d.text.contains("Bikeability"));
}

#[test]
fn a_folder_with_lying_headers_stops_at_its_bounds() {
    use crate::{Folder, FolderLimits};
    // One entry claims 1,000 bytes and inflates to megabytes: reading it never passes the
    // declared size (the zip crate's check) nor our per-file bound.
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file(
        "big.pdf",
        SimpleFileOptions::default().compression_method(CompressionMethod::Deflated),
    )
    .unwrap();
    w.write_all(&vec![b'0'; 8 << 20]).unwrap();
    let honest = w.finish().unwrap().into_inner();
    let liar = lie_about_sizes(&honest, 1000);
    let started = Instant::now();
    let mut folder = Folder::open(
        Cursor::new(liar),
        FolderLimits {
            max_file_bytes: 1 << 20,
            ..FolderLimits::default()
        },
    )
    .unwrap();
    let entry = folder.files[0].clone();
    let read = folder.read(&entry);
    assert!(
        matches!(
            read,
            Err(FileError::Unreadable(_)) | Err(FileError::TooLarge { .. })
        ) || read.as_ref().is_ok_and(|b| b.len() <= 1000),
        "{:?}",
        read.map(|b| b.len())
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}
