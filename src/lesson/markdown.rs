//! Lesson Markdown to HTML that is safe to put into the page.
//!
//! Lesson files come from course authors and, in previews, from anyone. Raw HTML in the Markdown is
//! shown as text, never interpreted, and links or images whose address could run script
//! (anything but http, https, mailto, relative paths and raster `data:image/`) are replaced by `#`. pulldown-cmark escapes
//! all text and attributes itself, so no other markup can reach the page.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

/// Renders lesson Markdown to sanitised HTML.
pub fn to_safe_html(markdown: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let events = Parser::new_ext(markdown, opts).map(|ev| match ev {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url, false),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url, true),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Keeps relative addresses and http(s)/mailto links (and data:image/ for images); anything else
/// with a scheme, or that a browser might read as one, becomes `#`. An allowlist, because the list of
/// dangerous schemes is open-ended.
fn safe_url(url: CowStr<'_>, image: bool) -> CowStr<'_> {
    // Browsers drop whitespace and control characters anywhere in a scheme ("java\tscript:").
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme_end = squeezed.find(':');
    let path_start = squeezed.find(['/', '?', '#']);
    let has_scheme = match (scheme_end, path_start) {
        (Some(c), Some(p)) => c < p,
        (Some(_), None) => true,
        _ => false,
    };
    let ok = !has_scheme
        || ["http:", "https:", "mailto:"]
            .iter()
            .any(|s| squeezed.starts_with(s))
        || (image
            && squeezed.starts_with("data:image/")
            && !squeezed.starts_with("data:image/svg"));
    if ok {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_shown_as_text() {
        let h = to_safe_html("hi <script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("<img"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
    }

    #[test]
    fn script_links_become_inert() {
        for link in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](%20javascript:alert(1))",
            "[x](vbscript:msgbox)",
            "[x](data:text/html,<script>alert(1)</script>)",
            "![x](javascript:alert(1))",
        ] {
            let h = to_safe_html(link);
            assert!(!h.to_ascii_lowercase().contains("script:"), "{link} -> {h}");
            assert!(!h.contains("data:text"), "{link} -> {h}");
        }
        assert!(to_safe_html("[go](https://go.dev/)").contains("href=\"https://go.dev/\""));
    }

    #[test]
    fn tables_and_code_render() {
        let h = to_safe_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n```go\nch <- v\n```");
        assert!(h.contains("<table>"));
        assert!(h.contains("ch &lt;- v"));
    }
}
