//! Markdown (CommonMark with tables) to safe HTML: rendered by comrak, then sanitised by
//! ammonia, so that nothing a contributor writes can run script in a reader's browser.

/// Renders `md` to HTML that is safe to insert into a page.
pub fn render(md: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    // Raw HTML is dropped by comrak and anything else is cleaned by ammonia: belt and braces.
    options.render.r#unsafe = false;
    let html = comrak::markdown_to_html(md, &options);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&html)
        .to_string()
}

/// Plain text of Markdown, for search and feeds: the rendered HTML without tags.
pub fn plain_text(md: &str) -> String {
    let html = render(md);
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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
            for bad in [
                "<script",
                "javascript:",
                "onerror",
                "onload",
                "onmouseover",
                "<iframe",
                "<svg",
                "<meta",
                "data:text",
                "style=",
            ] {
                assert!(!html.contains(bad), "{a:?} gave {html:?}");
            }
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
