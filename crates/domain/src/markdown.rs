//! Markdown (CommonMark with tables) to safe HTML: rendered by comrak, then sanitised by
//! ammonia, so that nothing a contributor writes can run script in a reader's browser.

/// CommonMark with tables, strikethrough and autolinks; raw HTML is dropped by comrak
/// (`unsafe` off) and anything else is cleaned by ammonia: belt and braces.
fn options() -> comrak::Options<'static> {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.render.r#unsafe = false;
    options
}

/// Renders `md` to HTML that is safe to insert into a page.
pub fn render(md: &str) -> String {
    let html = comrak::markdown_to_html(md, &options());
    SANITISER.clean(&html).to_string()
}

/// Built once: its allow-lists are sets that cost more to build than a short text to clean.
static SANITISER: std::sync::LazyLock<ammonia::Builder<'static>> = std::sync::LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect());
    b
});

/// Plain text of Markdown, for search: the text of the parsed document, without rendering
/// it to HTML (raw HTML in the source is dropped, as the page drops it).
pub fn plain_text(md: &str) -> String {
    use comrak::nodes::NodeValue;
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, md, &options());
    let mut out = String::with_capacity(md.len());
    for node in root.descendants() {
        let data = node.data.borrow();
        match &data.value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::CodeBlock(c) => out.push_str(&c.literal),
            // Words must not run together across breaks, cells and blocks.
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            v if v.block() || matches!(v, NodeValue::TableCell) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_tables_and_emphasis() {
        let html = render("**bold**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(html.contains("<strong>bold</strong>"));
        assert!(html.contains("<table>"));
    }

    #[test]
    fn owasp_filter_evasion_strings_are_neutralised() {
        let attacks = [
            "<script>alert(1)</script>",
            "<IMG SRC=\"javascript:alert('XSS');\">",
            "<IMG SRC=javascript:alert('XSS')>",
            "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
            "<IMG SRC=# onmouseover=\"alert('xxs')\">",
            "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
            "<iframe src=http://xss.rocks/scriptlet.html <",
            "<svg/onload=alert('XSS')>",
            "<BODY ONLOAD=alert('XSS')>",
            "<a href=\"jav&#x09;ascript:alert('XSS');\">x</a>",
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "![x](javascript:alert(1))",
            "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
            "<div style=\"background-image: url(javascript:alert('XSS'))\">",
            "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
        ];
        for a in attacks {
            let html = render(a).to_ascii_lowercase();
            // What the browser would run lives inside tags; escaped text (`&lt;img …`) is inert.
            let tags: Vec<&str> = html
                .split('<')
                .skip(1)
                .map(|t| t.split('>').next().unwrap_or(""))
                .collect();
            for tag in tags {
                for bad in [
                    "script",
                    "javascript:",
                    "onerror",
                    "onload",
                    "onmouseover",
                    "iframe",
                    "svg",
                    "meta",
                    "data:",
                    "style=",
                    "body",
                ] {
                    assert!(!tag.contains(bad), "{a:?} gave {html:?}");
                }
            }
            assert!(!html.contains("<script"), "{a:?} gave {html:?}");
        }
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("# Title\n\nSome *text* & more"),
            "Title Some text & more"
        );
    }
}
