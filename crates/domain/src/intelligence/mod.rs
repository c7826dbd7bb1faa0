//! Public indicator data for the shared intelligence system: reading the files people upload
//! (a Fingertips export, our tidy CSV template, the IoD local-authority summary sheet) into
//! areas, periods and observations, with flags for a person to check before anything is saved.
//!
//! Nothing here does I/O: the app reads the CSV or XLSX and feeds rows of cells to
//! [`TableReader`]. Everything is linear in the rows read and never panics on any input, since
//! the files come from outside.
//!
//! Two series are kept apart by design: an indicator is identified by its source and its id,
//! so Sport England's 16+ Active Lives figures never merge with OHID's 19+ republication.

mod area;
mod compare;
mod period;
mod table;

#[cfg(test)]
mod tests;

pub use area::{AreaType, BadGssCode, GssCode};
pub use compare::{compare, Comparison, Polarity};
pub use period::{BadPeriod, Period};
pub use table::{
    known_indicator, FlagKind, Format, FormatError, IndicatorDef, Parsed, ParsedObservation,
    RowFlag, TableReader, MAX_NAME_CHARS, MAX_ROWS, TIDY_TEMPLATE,
};

/// `s` cut to `max` characters with an ellipsis, for quoting untrusted text in messages.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}
