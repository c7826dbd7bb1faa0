//! The one error type of this crate, whose messages are shown to the people uploading
//! or downloading files, so each says what happened and what to do about it.

use thiserror::Error;

/// Why a file could not be accepted, stored, loaded or read.
///
/// `Display` is written for end users; details meant for operators are logged with
/// `tracing` where the error is made, not put in the message.
#[derive(Debug, Error)]
pub enum FileError {
    /// The upload has no bytes at all.
    #[error("The file is empty. Choose a file that has some content and upload it again.")]
    Empty,
    /// The upload is bigger than the limit the caller set.
    #[error("The file is too large: the limit is {}. Upload a smaller file, for example by compressing its images or splitting it.", human_size(*limit))]
    TooLarge { limit: u64 },
    /// The bytes are of a kind we do not accept; `detected` says what they look like
    /// ("an executable program (Windows .exe or .dll)").
    #[error("This file is {detected}. Upload a PDF, Word, PowerPoint, Excel, CSV or image (PNG, JPEG, GIF, WebP) file.")]
    NotAllowed { detected: String },
    /// The bytes claim to be an accepted kind but cannot be parsed.
    #[error("The file could not be read ({0}). It may be damaged: open it on your computer, save it again and upload the new copy.")]
    Unreadable(String),
    /// A ZIP-based document unpacks to more than the limit (a "zip bomb", or simply huge).
    #[error("The file unpacks to more than {} of content, which is more than we can process. Upload a smaller document.", human_size(*limit))]
    ArchiveTooLarge { limit: u64 },
    /// A PDF (or other document) that cannot be opened without its password.
    #[error("The file is protected with a password, so it cannot be read. Save a copy without the password and upload that.")]
    Protected,
    /// A folder (ZIP) whose contents are unsafe to unpack; the string says which entry and why,
    /// phrased to follow "The ZIP file ".
    #[error("The ZIP file {0}. Nothing was imported: make the folder again from the original files and upload that.")]
    UnsafeArchive(String),
    /// The storage key is not one we generated (64 lowercase hex characters).
    #[error("The attachment reference is not valid. Reload the page and try again.")]
    InvalidKey,
    /// No stored bytes under that key.
    #[error("The attachment's file is missing. Ask the person who shared it to upload it again.")]
    NotFound,
    /// Reading or writing storage failed; the string is a short, path-free description.
    #[error("The file could not be stored or loaded ({0}). Try again in a moment; if it keeps happening, tell an administrator.")]
    Io(String),
    /// The disk is full (ENOSPC): the file was not stored. The cause is kept for the log.
    #[error("The file could not be stored: the server has no space left. Nothing was saved; try again later.")]
    StorageFull(#[source] std::io::Error),
}

impl FileError {
    /// True when the person who sent the file can fix it themselves (a 4xx, in HTTP
    /// terms); false for failures on our side (storage trouble).
    pub fn is_user_error(&self) -> bool {
        !matches!(self, FileError::Io(_) | FileError::StorageFull(_))
    }
}

/// "50 MB"-style sizes for messages. Uses binary units, because limits are set in MiB,
/// but the familiar short names, because people know "MB".
pub(crate) fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    const GIB: u64 = 1024 * MIB;
    if bytes >= GIB && bytes.is_multiple_of(GIB) {
        format!("{} GB", bytes / GIB)
    } else if bytes >= MIB {
        let tenths = bytes * 10 / MIB;
        if tenths.is_multiple_of(10) {
            format!("{} MB", tenths / 10)
        } else {
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    } else if bytes >= KIB {
        format!("{} kB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(50 * 1024 * 1024), "50 MB");
        assert_eq!(human_size(1536 * 1024), "1.5 MB");
        assert_eq!(human_size(2048), "2 kB");
        assert_eq!(human_size(10), "10 bytes");
        assert_eq!(human_size(1 << 30), "1 GB");
    }

    #[test]
    fn messages_say_what_to_do() {
        let e = FileError::TooLarge {
            limit: 20 * 1024 * 1024,
        };
        assert!(e.to_string().contains("20 MB"));
        assert!(e.is_user_error());
        assert!(!FileError::Io("disk full".into()).is_user_error());
        let full = FileError::StorageFull(std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert!(!full.is_user_error());
        assert!(full.to_string().contains("no space left"));
    }
}
