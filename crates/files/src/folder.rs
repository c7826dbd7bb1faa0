//! A folder of documents sent as one ZIP file: its entries listed from the central directory
//! and read one at a time, within the bounds every archive here has (entries, total unpacked
//! bytes as declared and as actually read, bytes per file, depth of folders), refusing names
//! that point outside the folder and symbolic links before anything is read.
//!
//! Only the list and one file's bytes are in memory at a time, so a folder of a thousand
//! documents costs about the largest of them, whatever its total. A ZIP inside the ZIP is not
//! opened: it is one more file of a kind we do not take ([`crate::sniff`] says so).

use std::io::{Read, Seek};

use zip::ZipArchive;

use crate::error::FileError;

/// Bounds on one folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderLimits {
    /// Entries the ZIP may list (files and folders together).
    pub max_entries: usize,
    /// Uncompressed bytes of all files, as declared and as actually read.
    pub max_unpacked_bytes: u64,
    /// Uncompressed bytes of one file (larger ones are refused one by one).
    pub max_file_bytes: u64,
    /// Folders within folders.
    pub max_depth: usize,
}

impl Default for FolderLimits {
    fn default() -> Self {
        FolderLimits {
            max_entries: 2_000,
            max_unpacked_bytes: 2 << 30,
            max_file_bytes: 50 << 20,
            max_depth: 16,
        }
    }
}

/// One file of the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderEntry {
    index: usize,
    /// Its path inside the folder, with `/` between folders.
    pub path: String,
    /// Uncompressed size, as the ZIP declares it.
    pub size: u64,
}

impl FolderEntry {
    /// The file's own name, without its folders.
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// An opened folder: its files, in the ZIP's order, and what was passed over.
pub struct Folder<R> {
    archive: ZipArchive<R>,
    limits: FolderLimits,
    read_so_far: u64,
    pub files: Vec<FolderEntry>,
    /// Files that are not documents but the leftovers of a computer (`.DS_Store`,
    /// `__MACOSX/`, `Thumbs.db`, Office's `~$` lock files): passed over without a word.
    pub passed_over: Vec<String>,
}

impl<R: Read + Seek> Folder<R> {
    /// Reads the ZIP's directory and checks every entry's name, kind and declared size.
    pub fn open(mut reader: R, limits: FolderLimits) -> Result<Self, FileError> {
        // The entry count from the end record first: the zip crate reads the whole directory
        // into memory before we could count it, and a small ZIP can list millions of entries.
        if let Some(n) = declared_entries(&mut reader) {
            if n > limits.max_entries as u64 {
                return Err(too_many(n, limits.max_entries));
            }
        }
        let mut archive = ZipArchive::new(reader).map_err(|e| {
            tracing::debug!(error = %e, "folder upload is not a readable zip");
            FileError::Unreadable(
                "it is not a ZIP file, or its ZIP structure is damaged: make the ZIP again".into(),
            )
        })?;
        if archive.len() > limits.max_entries {
            return Err(too_many(archive.len() as u64, limits.max_entries));
        }
        let mut files = Vec::new();
        let mut passed_over = Vec::new();
        let mut declared: u64 = 0;
        for index in 0..archive.len() {
            // The raw entry: its header only, nothing inflated.
            let entry = archive.by_index_raw(index).map_err(|e| {
                tracing::debug!(error = %e, index, "unreadable zip entry");
                FileError::Unreadable("its ZIP structure is damaged: make the ZIP again".into())
            })?;
            let raw = entry
                .name()
                .map_err(|e| {
                    tracing::debug!(error = %e, index, "unreadable zip entry name");
                    FileError::Unreadable("its ZIP structure is damaged: make the ZIP again".into())
                })?
                .into_owned();
            let path = safe_path(&raw, limits.max_depth)?;
            if entry.is_symlink() {
                return Err(FileError::UnsafeArchive(format!(
                    "holds a link to another place (“{}”), which is not a document",
                    shown(&raw)
                )));
            }
            if entry.is_dir() {
                continue;
            }
            if is_leftover(&path) {
                passed_over.push(path);
                continue;
            }
            declared = declared.saturating_add(entry.size());
            files.push(FolderEntry {
                index,
                path,
                size: entry.size(),
            });
        }
        if declared > limits.max_unpacked_bytes {
            return Err(FileError::ArchiveTooLarge {
                limit: limits.max_unpacked_bytes,
            });
        }
        Ok(Folder {
            archive,
            limits,
            read_so_far: 0,
            files,
            passed_over,
        })
    }

    /// One file's bytes, read through the per-file and the remaining total bounds whatever
    /// its header says. A file over its bound is [`FileError::TooLarge`] (that file only);
    /// the total exceeded is [`FileError::ArchiveTooLarge`] (the whole folder).
    pub fn read(&mut self, entry: &FolderEntry) -> Result<Vec<u8>, FileError> {
        let remaining = self
            .limits
            .max_unpacked_bytes
            .saturating_sub(self.read_so_far);
        if entry.size > self.limits.max_file_bytes {
            return Err(FileError::TooLarge {
                limit: self.limits.max_file_bytes,
            });
        }
        let file = match self.archive.by_index(entry.index) {
            Ok(file) => file,
            Err(zip::result::ZipError::UnsupportedArchive(why))
                if why.contains("ncrypt") || why.contains("assword") =>
            {
                return Err(FileError::Protected)
            }
            Err(e) => {
                tracing::debug!(error = %e, path = %entry.path, "unreadable zip entry");
                return Err(FileError::Unreadable(
                    "its part of the ZIP file is damaged".into(),
                ));
            }
        };
        if file.encrypted() {
            return Err(FileError::Protected);
        }
        let budget = self.limits.max_file_bytes.min(remaining);
        let mut bytes = Vec::with_capacity(entry.size.min(budget) as usize);
        let read = file.take(budget.saturating_add(1)).read_to_end(&mut bytes);
        self.read_so_far = self.read_so_far.saturating_add(bytes.len() as u64);
        if let Err(e) = read {
            tracing::debug!(error = %e, path = %entry.path, "zip entry could not be inflated");
            return Err(FileError::Unreadable(
                "its part of the ZIP file is damaged".into(),
            ));
        }
        if bytes.len() as u64 > budget {
            // The header said less than the bytes hold: a bomb, or the folder is too big.
            return Err(if budget < self.limits.max_file_bytes {
                FileError::ArchiveTooLarge {
                    limit: self.limits.max_unpacked_bytes,
                }
            } else {
                FileError::TooLarge {
                    limit: self.limits.max_file_bytes,
                }
            });
        }
        Ok(bytes)
    }
}

fn too_many(n: u64, max: usize) -> FileError {
    FileError::UnsafeArchive(format!(
        "lists {n} entries, more than the {max} one import takes: split the folder into smaller ones"
    ))
}

/// The number of entries the ZIP's end-of-central-directory record declares (65,535 stands
/// for "more", as ZIP64 says), or `None` when the record cannot be found here (the zip crate
/// then says why). Leaves the reader where it found it.
fn declared_entries<R: Read + Seek>(reader: &mut R) -> Option<u64> {
    use std::io::SeekFrom;
    let start = reader.stream_position().ok()?;
    let len = reader.seek(SeekFrom::End(0)).ok()?;
    // The record is 22 bytes and may be followed by a comment of up to 65,535.
    let tail_len = len.min(22 + 65_535);
    reader.seek(SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = vec![0u8; tail_len as usize];
    let read = reader.read_exact(&mut tail);
    reader.seek(SeekFrom::Start(start)).ok()?;
    read.ok()?;
    let at = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| tail[i..i + 4] == *b"PK\x05\x06")?;
    Some(u64::from(u16::from_le_bytes([
        tail[at + 10],
        tail[at + 11],
    ])))
}

/// The entry's path with `/` separators, or why the whole folder is refused: an absolute
/// path, a drive letter, a `..` step, or folders nested deeper than `max_depth`.
fn safe_path(raw: &str, max_depth: usize) -> Result<String, FileError> {
    let outside = || {
        FileError::UnsafeArchive(format!(
            "has an entry named “{}”, which points outside the folder",
            shown(raw)
        ))
    };
    let unified = raw.replace('\\', "/");
    // "C:" or "C:/…" is a drive; "1:1 notes.docx" is a name.
    let b = unified.as_bytes();
    let drive = b.len() >= 2
        && b[0].is_ascii_alphabetic()
        && b[1] == b':'
        && (b.len() == 2 || b[2] == b'/');
    if unified.starts_with('/') || drive || unified.contains('\0') {
        return Err(outside());
    }
    let parts: Vec<&str> = unified
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.contains(&"..") {
        return Err(outside());
    }
    if parts.len() > max_depth + 1 {
        return Err(FileError::UnsafeArchive(format!(
            "has folders nested more than {max_depth} deep (“{}”)",
            shown(raw)
        )));
    }
    Ok(parts.join("/"))
}

/// A name as shown in a message: control characters dropped, and at most 120 characters.
fn shown(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_control()).take(120).collect()
}

fn is_leftover(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path.split('/')
        .any(|part| part.starts_with('.') || part == "__MACOSX")
        || name.starts_with("~$")
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            w.start_file(*name, SimpleFileOptions::default())
                .expect("zip entry");
            w.write_all(bytes).expect("zip bytes");
        }
        w.finish().expect("zip").into_inner()
    }

    #[test]
    fn lists_documents_and_passes_over_leftovers() {
        let z = zip_of(&[
            ("Reports/2024/annual.pdf", b"%PDF-1.4"),
            ("__MACOSX/Reports/._annual.pdf", b"x"),
            ("Reports/.DS_Store", b"x"),
            ("Reports/~$draft.docx", b"x"),
            ("Thumbs.db", b"x"),
            ("notes.docx", b"PK"),
        ]);
        let mut f = Folder::open(Cursor::new(z), FolderLimits::default())
            .expect("a folder within its bounds opens");
        let paths: Vec<&str> = f.files.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["Reports/2024/annual.pdf", "notes.docx"]);
        assert_eq!(f.passed_over.len(), 4);
        assert_eq!(f.files[0].name(), "annual.pdf");
        let first = f.files[0].clone();
        assert_eq!(f.read(&first).expect("the first file"), b"%PDF-1.4");
    }

    #[test]
    fn names_outside_the_folder_refuse_it_all() {
        for bad in [
            "../evil.pdf",
            "a/../../evil.pdf",
            "/etc/passwd",
            "C:\\x.pdf",
            "a\\..\\..\\x.pdf",
        ] {
            let z = zip_of(&[("ok.pdf", b"%PDF"), (bad, b"%PDF")]);
            let e = Folder::open(Cursor::new(z), FolderLimits::default())
                .err()
                .unwrap_or_else(|| panic!("{bad} was accepted"));
            assert!(matches!(e, FileError::UnsafeArchive(_)), "{bad}: {e}");
            assert!(e.to_string().contains("outside the folder"), "{e}");
        }
    }

    #[test]
    fn bounds_on_entries_depth_and_size() {
        let limits = FolderLimits {
            max_entries: 3,
            max_unpacked_bytes: 1000,
            max_file_bytes: 300,
            max_depth: 2,
        };
        let many = zip_of(&[("a", b"1"), ("b", b"1"), ("c", b"1"), ("d", b"1")]);
        assert!(matches!(
            Folder::open(Cursor::new(many), limits).err(),
            Some(FileError::UnsafeArchive(_))
        ));
        let deep = zip_of(&[("a/b/c/d.pdf", b"1")]);
        assert!(matches!(
            Folder::open(Cursor::new(deep), limits).err(),
            Some(FileError::UnsafeArchive(_))
        ));
        let big = vec![0u8; 400];
        let total = zip_of(&[("a", &big), ("b", &big), ("c", &big)]);
        assert!(matches!(
            Folder::open(Cursor::new(total), limits).err(),
            Some(FileError::ArchiveTooLarge { .. })
        ));
        let one = zip_of(&[("a", &big), ("b", b"ok")]);
        let mut f =
            Folder::open(Cursor::new(one), limits).expect("a folder within its bounds opens");
        let (a, b) = (f.files[0].clone(), f.files[1].clone());
        assert!(matches!(
            f.read(&a),
            Err(FileError::TooLarge { limit: 300 })
        ));
        assert_eq!(f.read(&b).expect("the small file"), b"ok");
    }

    #[test]
    fn a_directory_of_millions_is_refused_from_its_end_record() {
        // An end record claiming 65,535 entries, with nothing behind it: refused before the
        // zip crate reads a directory.
        let mut z = b"PK\x05\x06\0\0\0\0".to_vec();
        z.extend_from_slice(&0xFFFFu16.to_le_bytes());
        z.extend_from_slice(&0xFFFFu16.to_le_bytes());
        z.extend_from_slice(&[0u8; 10]);
        let e = Folder::open(Cursor::new(z), FolderLimits::default()).err();
        assert!(
            matches!(&e, Some(FileError::UnsafeArchive(m)) if m.contains("65535 entries")),
            "{e:?}"
        );
    }

    #[test]
    fn a_colon_in_a_name_is_not_a_drive() {
        let z = zip_of(&[("1:1 notes.docx", b"PK")]);
        let f = Folder::open(Cursor::new(z), FolderLimits::default())
            .expect("a folder within its bounds opens");
        assert_eq!(f.files[0].path, "1:1 notes.docx");
    }

    #[test]
    fn not_a_zip_is_unreadable() {
        let e = Folder::open(Cursor::new(b"%PDF-1.4".to_vec()), FolderLimits::default()).err();
        assert!(matches!(e, Some(FileError::Unreadable(_))));
    }
}
