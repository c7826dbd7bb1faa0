//! Rendered Markdown, kept in memory: an item page is read far more often than written, and
//! rendering plus sanitising its body and sections is most of the page's own work. Keyed by the
//! source text itself, so an edit can never show stale HTML and no invalidation is needed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Above this many bytes (source plus HTML) the cache starts afresh: simple, and what is
/// read often is back after a few requests.
const MAX_BYTES: usize = 64 * 1024 * 1024;

/// Sources shorter than this are rendered every time: cheaper than keeping them.
const MIN_SOURCE: usize = 256;

#[derive(Default)]
pub struct RenderedMarkdown {
    inner: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    bytes: usize,
    html: HashMap<Arc<str>, Arc<str>>,
}

impl RenderedMarkdown {
    /// Safe HTML of `md` (see `lz_domain::markdown::render`).
    pub fn render(&self, md: &str) -> Arc<str> {
        if md.len() < MIN_SOURCE {
            return lz_domain::markdown::render(md).into();
        }
        if let Some(html) = self.lock().html.get(md) {
            return html.clone();
        }
        // Rendered outside the lock: two readers of a new item may both render it, once.
        let html: Arc<str> = lz_domain::markdown::render(md).into();
        let mut e = self.lock();
        let size = md.len() + html.len();
        if e.bytes + size > MAX_BYTES {
            e.html.clear();
            e.bytes = 0;
        }
        if e.html.insert(md.into(), html.clone()).is_none() {
            e.bytes += size;
        }
        html
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic elsewhere while holding the lock leaves a usable map: entries are whole.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_html_as_rendering_and_an_edit_is_never_stale() {
        let cache = RenderedMarkdown::default();
        let md = format!("# Heading\n\n{}", "Some **bold** words. ".repeat(40));
        assert_eq!(&*cache.render(&md), lz_domain::markdown::render(&md));
        assert_eq!(&*cache.render(&md), lz_domain::markdown::render(&md));
        let edited = md.replace("bold", "strong");
        let html = cache.render(&edited);
        assert!(html.contains("<strong>strong</strong>"), "{html}");
        assert!(!html.contains(">bold<"), "{html}");
    }
}
