//! duben's Markdown dialect: CommonMark plus footnotes, with three safety
//! rules applied to every Markdown string, whether a whole text.md or one TOML
//! field: raw HTML is shown as text, only http, https, mailto and relative
//! links survive, and an image must be part of the site. This module owns the
//! rules: `unsafe_part` says what one event breaks, `make_safe` applies that
//! same answer, and `diagnostic` is the one place its report is worded, so
//! `content` (to report) and `render` (to enforce) cannot disagree.

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::diagnostics::Diagnostic;

pub fn options() -> Options {
    Options::ENABLE_FOOTNOTES
}

/// Something in Markdown that will not reach the page as written.
#[derive(Debug, PartialEq, Eq)]
pub enum Unsafe {
    RawHtml(String),
    LinkScheme(String),
    /// An image on another site: dropped, its alt text shown.
    RemoteImage(String),
    /// A bidirectional control (see `bidi`) that a character reference
    /// (`&#x202E;`) writes: shown as U+FFFD. One written as a character was
    /// replaced, and reported, when the file was read.
    BidiControl(char),
}

/// The report of one unsafe part at `span` of `file`: raw HTML and remote
/// images are warnings (the text still shows), a refused link is an error.
pub fn diagnostic(file: &Path, span: Range<usize>, part: &Unsafe) -> Diagnostic {
    match part {
        Unsafe::RawHtml(html) => Diagnostic::warning(
            "raw-html",
            file,
            Some(span),
            format!("raw HTML `{}` will be shown as text, not used as HTML", shorten(html)),
        )
        .with_help("write Markdown instead (e.g. *emphasis*, [link](https://…)); HTML in content is never executed"),
        Unsafe::LinkScheme(url) => Diagnostic::error(
            "link-scheme",
            file,
            Some(span),
            format!("link target `{}` is not allowed", shorten(url)),
        )
        .with_help("links may be relative or start with http://, https:// or mailto:"),
        Unsafe::RemoteImage(url) => Diagnostic::warning(
            "remote-image",
            file,
            Some(span),
            format!(
                "the image `{}` is on another site, so it is not shown (its alt text is)",
                shorten(url)
            ),
        )
        .with_help("put the image in static/ and link to it relatively; no page loads anything from elsewhere"),
        Unsafe::BidiControl(c) => crate::bidi::warning(file, span, *c),
    }
}

/// At most 60 characters of `text`, for a message.
pub fn shorten(text: &str) -> String {
    let mut chars = text.chars();
    let short: String = chars.by_ref().take(60).collect();
    if chars.next().is_some() {
        format!("{short}…")
    } else {
        short
    }
}

/// Every raw-HTML fragment and refused link target in `markdown`, with its
/// byte range.
pub fn unsafe_parts(markdown: &str) -> Vec<(Range<usize>, Unsafe)> {
    let mut found = UnsafeParts::new(markdown);
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        found.check(&event, range);
    }
    found.parts
}

/// The unsafe parts of one Markdown text, gathered event by event (for
/// callers that parse the Markdown themselves and check it on the way),
/// each at the place it is written.
pub struct UnsafeParts<'s> {
    source: &'s str,
    pub parts: Vec<(Range<usize>, Unsafe)>,
    /// The links and images open at this event, innermost last.
    open: Vec<OpenLink>,
    /// The source parsed again for its reference definitions, once, the
    /// first time a control comes from one.
    definitions: Option<Parser<'s>>,
    /// The definitions' controls reported so far: once each, however many
    /// links use the definition.
    reported: std::collections::HashSet<(usize, char)>,
}

/// An inline link or image being read: its range, the control its address
/// or title holds (reported at its end, once its text is known), and where
/// its text ends (the events inside it), which the address and the title
/// follow.
struct OpenLink {
    range: Range<usize>,
    control: Option<char>,
    text_end: usize,
}

impl<'s> UnsafeParts<'s> {
    pub fn new(source: &'s str) -> Self {
        UnsafeParts {
            source,
            parts: Vec::new(),
            open: Vec::new(),
            definitions: None,
            reported: std::collections::HashSet::new(),
        }
    }

    /// Checks `event`, which `range` of the source wrote.
    pub fn check(&mut self, event: &Event, range: Range<usize>) {
        if let Event::End(TagEnd::Link | TagEnd::Image) = event {
            self.close_link();
            return;
        }
        for link in &mut self.open {
            link.text_end = link.text_end.max(range.end);
        }
        let part = unsafe_part(event);
        let Event::Start(Tag::Link { link_type, id, .. } | Tag::Image { link_type, id, .. }) = event else {
            self.parts.extend(part.map(|part| (range, part)));
            return;
        };
        let from_definition = matches!(
            link_type,
            LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
        );
        let mut control = None;
        match part {
            Some(Unsafe::BidiControl(c)) if from_definition => self.report_in_definition(id, range.clone(), c),
            Some(Unsafe::BidiControl(c)) => control = Some(c),
            Some(other) => self.parts.push((range.clone(), other)),
            None => {}
        }
        self.open.push(OpenLink {
            text_end: range.start,
            range,
            control,
        });
    }

    /// An inline link's control is in its address or title: the first
    /// reference to it after the link's text.
    fn close_link(&mut self) {
        let Some(link) = self.open.pop() else { return };
        let Some(c) = link.control else { return };
        let at = first_reference_in(self.source, link.text_end..link.range.end, c).unwrap_or(link.range);
        self.parts.push((at, Unsafe::BidiControl(c)));
    }

    /// A reference link's control is in the definition it takes its
    /// address and title from: reported there, once.
    fn report_in_definition(&mut self, id: &str, link: Range<usize>, c: char) {
        let source = self.source;
        let definitions = self
            .definitions
            .get_or_insert_with(|| Parser::new_ext(source, options()));
        let definition = definitions.reference_definitions().get(id).map(|d| d.span.clone());
        // After the definition's label (`[r]:`), which is never decoded: its
        // first `]` that no backslash escapes.
        let after_label = |d: Range<usize>| {
            let text = source.get(d.clone())?;
            let close = memchr::memchr_iter(b']', text.as_bytes()).find(|&i| !is_escaped(text, i))?;
            Some(d.start + close + 1..d.end)
        };
        let at = definition
            .and_then(after_label)
            .and_then(|d| first_reference_in(source, d, c))
            .unwrap_or(link);
        if self.reported.insert((at.start, c)) {
            self.parts.push((at, Unsafe::BidiControl(c)));
        }
    }
}

/// Whether the character at byte `at` of `text` follows an odd number of
/// backslashes, which make it a literal character.
fn is_escaped(text: &str, at: usize) -> bool {
    text[..at].bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

/// The first reference writing `c` within `range` of `source`, as a range
/// of `source`.
fn first_reference_in(source: &str, range: Range<usize>, c: char) -> Option<Range<usize>> {
    let found = references_to(source.get(range.clone())?, c).next()?;
    Some(found.start + range.start..found.end + range.start)
}

/// Where in `source` a numeric character reference writes `c`, as
/// CommonMark reads one: `&#x202E;` (one to six hex digits) or `&#8238;`
/// (one to seven decimal ones), not after a backslash.
fn references_to(source: &str, c: char) -> impl Iterator<Item = Range<usize>> + '_ {
    memchr::memmem::find_iter(source.as_bytes(), b"&#").filter_map(move |at| {
        if is_escaped(source, at) {
            return None;
        }
        let rest = &source[at + 2..];
        let (digits, radix, most) = match rest.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 6),
            None => (rest, 10, 7),
        };
        let len = digits.find(|d: char| !d.is_digit(radix))?;
        if !(1..=most).contains(&len) || !digits[len..].starts_with(';') {
            return None;
        }
        let value = u32::from_str_radix(&digits[..len], radix).ok()?;
        let end = source.len() - digits.len() + len + 1;
        (value == u32::from(c)).then_some(at..end)
    })
}

/// What is unsafe about one event, if anything.
pub fn unsafe_part(event: &Event) -> Option<Unsafe> {
    match event {
        Event::Html(html) | Event::InlineHtml(html) => Some(Unsafe::RawHtml(html.trim().to_owned())),
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) if !is_allowed_url(dest_url) => {
            Some(Unsafe::LinkScheme(dest_url.to_string()))
        }
        Event::Start(Tag::Image { dest_url, .. }) if is_remote(dest_url) => {
            Some(Unsafe::RemoteImage(dest_url.to_string()))
        }
        // A control in any text the event carries: its words, a link's
        // address or title, a footnote's label (`[c](d "&#x2066;")`).
        _ => carried(event)
            .into_iter()
            .find_map(|text| first_in(text, crate::bidi::is_control))
            .map(Unsafe::BidiControl),
    }
}

/// Whether no page may show `c`: a NUL, or a bidirectional control (see
/// `bidi`).
fn is_forbidden(c: char) -> bool {
    c == '\0' || crate::bidi::is_control(c)
}

/// The first forbidden character in `text`.
fn first_forbidden_in(text: &str) -> Option<char> {
    first_in(text, is_forbidden)
}

/// The first character of `text` that is `wanted`, one of the forbidden. A
/// NUL is the byte 0 and every control starts with the byte 0xE2, so only
/// those bytes are looked at.
fn first_in(text: &str, wanted: impl Fn(char) -> bool) -> Option<char> {
    memchr::memchr2_iter(0, 0xE2, text.as_bytes())
        .filter_map(|at| text.get(at..)?.chars().next())
        .find(|&c| wanted(c))
}

/// Every text `event` carries to the page, as `without_forbidden` cleans
/// them (unused places are empty).
fn carried<'e>(event: &'e Event<'_>) -> [&'e str; 3] {
    match event {
        Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) | Event::FootnoteReference(t) => {
            [t, "", ""]
        }
        Event::Start(
            Tag::Link {
                dest_url, title, id, ..
            }
            | Tag::Image {
                dest_url, title, id, ..
            },
        ) => [dest_url, title, id],
        Event::Start(Tag::FootnoteDefinition(label)) => [label, "", ""],
        Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info))) => [info, "", ""],
        _ => ["", "", ""],
    }
}

/// The first character no page may show in any text `event` carries: the
/// one check both the report (`unsafe_part`) and the cleaning
/// (`without_forbidden`) make.
pub fn first_forbidden(event: &Event) -> Option<char> {
    carried(event).into_iter().find_map(first_forbidden_in)
}

/// Relative URLs and http, https and mailto are allowed; anything else
/// (`javascript:`, `data:`, `vbscript:`, …) is refused. Browsers ignore ASCII
/// whitespace and control characters inside a scheme (`java\tscript:`), so
/// those are dropped before the scheme is read.
pub fn is_allowed_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    match scheme(&cleaned) {
        None => true,
        Some(scheme) => matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https" | "mailto"),
    }
}

/// The scheme of `url` (`https` in `https://…`), if it has one.
pub fn scheme(url: &str) -> Option<&str> {
    let end = url.find([':', '/', '?', '#'])?;
    let candidate = &url[..end];
    let is_scheme = url[end..].starts_with(':')
        && candidate.starts_with(|c: char| c.is_ascii_alphabetic())
        && candidate
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    is_scheme.then_some(candidate)
}

/// Applies the safety rules to an event stream: raw HTML becomes text, a
/// refused link keeps its text but loses the link, a refused image shows its
/// alt text.
pub fn make_safe<'a>(events: impl IntoIterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    // Per open link or image: (dropped, leads to another site).
    let mut ends: Vec<(bool, bool)> = Vec::new();
    for event in events {
        let event = without_forbidden(event);
        match event {
            Event::Html(html) | Event::InlineHtml(html) => out.push(Event::Text(html)),
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
                let allowed = !is_dropped(&event);
                let external = matches!(event, Event::Start(Tag::Link { .. })) && is_external(dest_url);
                ends.push((!allowed, external));
                if allowed {
                    out.push(event);
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                let (dropped, external) = ends.pop().unwrap_or((false, false));
                if !dropped {
                    if external {
                        out.push(Event::InlineHtml(EXTERNAL_MARK.into()));
                    }
                    out.push(event);
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// U+0000 becomes U+FFFD, as CommonMark asks "for security reasons": a NUL
/// in a page is a parse error, and browsers drop or replace it unevenly. So
/// does a bidirectional control (see `bidi`), which a character reference
/// (`&#x202E;`) can write after the file's own were replaced.
pub fn without_forbidden(event: Event<'_>) -> Event<'_> {
    fn clean(text: CowStr<'_>) -> CowStr<'_> {
        if first_forbidden_in(&text).is_some() {
            text.replace(is_forbidden, "\u{FFFD}").into()
        } else {
            text
        }
    }
    if first_forbidden(&event).is_none() {
        return event;
    }
    match event {
        Event::Text(t) => Event::Text(clean(t)),
        Event::Code(t) => Event::Code(clean(t)),
        Event::Html(t) => Event::Html(clean(t)),
        Event::InlineHtml(t) => Event::InlineHtml(clean(t)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: clean(dest_url),
            title: clean(title),
            id: clean(id),
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: clean(dest_url),
            title: clean(title),
            id: clean(id),
        }),
        Event::FootnoteReference(label) => Event::FootnoteReference(clean(label)),
        Event::Start(Tag::FootnoteDefinition(label)) => Event::Start(Tag::FootnoteDefinition(clean(label))),
        Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info))) => {
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(clean(info))))
        }
        other => other,
    }
}

/// What a link to another site ends with: a visible arrow and words for
/// screen readers (the theme's `.ext` and `.visually-hidden`), both marked
/// `data-not-text`: they are not the author's, so a quote proposed from the
/// page and a copied passage leave them out, as `check` does.
pub const EXTERNAL_MARK: &str = "<span class=\"ext\" aria-hidden=\"true\" data-not-text>↗</span><span class=\"visually-hidden\" lang=\"en\" data-not-text> (external site)</span>";

/// A link that leaves the site: an absolute web address (mailto is not a
/// site, and relative links stay on this one).
pub fn is_external(url: &str) -> bool {
    let url = url.trim_start();
    url.starts_with("//")
        || scheme(url).is_some_and(|s| s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"))
}

/// Whether `make_safe` drops this link or image start (a refused scheme, or
/// a remote image); its text stays, outside any link.
pub fn is_dropped(event: &Event) -> bool {
    match event {
        Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
            matches!(unsafe_part(event), Some(Unsafe::LinkScheme(_) | Unsafe::RemoteImage(_)))
        }
        _ => false,
    }
}

/// No request leaves the site: an image must be part of it.
fn is_remote(url: &str) -> bool {
    scheme(url).is_some() || url.starts_with("//")
}

/// Renders a Markdown field (a definition, an abstract, a note) to HTML.
pub fn to_html(markdown: &str) -> String {
    let events = make_safe(Parser::new_ext(markdown, options()));
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Plain text of Markdown (markup removed), for excerpts and matching.
pub fn to_plain(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()).map(without_forbidden) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph) => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_becomes_the_replacement_character() {
        let html = to_html("a\0b `c\0` [d](https://e.org/\0 \"t\0\")[^n\0]\n\n```x\0\ny\0\n```\n\n[^n\0]: e\0\n");
        assert!(!html.contains('\0'), "{html:?}");
        assert!(html.contains("a\u{FFFD}b"), "{html:?}");
    }

    #[test]
    fn a_character_reference_to_a_bidi_control_becomes_the_replacement_character() {
        let markdown = "a&#x202E;b `&#8238;` [c](d \"&#x2066;\")";
        for out in [to_html(markdown), to_plain(markdown)] {
            assert!(!out.contains(crate::bidi::is_control), "{out:?}");
            assert!(out.contains("a\u{FFFD}b"), "{out:?}");
        }
        let found: Vec<Unsafe> = unsafe_parts(markdown).into_iter().map(|(_, part)| part).collect();
        assert_eq!(
            found,
            [Unsafe::BidiControl('\u{202E}'), Unsafe::BidiControl('\u{2066}')],
            "the link's title is reported as its text is"
        );
        assert!(
            to_html(markdown).contains("<a href=\"d\""),
            "a control in a title does not drop the link"
        );
    }

    #[test]
    fn a_control_in_a_link_is_reported_where_its_reference_is_written() {
        let text = "[a\nb](/x\n\"see &#x2066;here\")\n\n[r] and [r] again.\n\n[r]: /y \"&#8238;t\"\n";
        let found: Vec<(&str, Unsafe)> = unsafe_parts(text)
            .into_iter()
            .map(|(r, part)| (&text[r], part))
            .collect();
        assert_eq!(
            found,
            [
                ("&#x2066;", Unsafe::BidiControl('\u{2066}')),
                ("&#8238;", Unsafe::BidiControl('\u{202E}'))
            ]
        );
    }

    #[test]
    fn a_control_is_reported_at_the_reference_that_writes_it_and_each_once() {
        let reported = |text: &str| -> Vec<usize> { unsafe_parts(text).into_iter().map(|(r, _)| r.start).collect() };
        // The link's text and its title: two controls, two reports.
        assert_eq!(reported("[&#x202E;](/x \"&#x202E;\")"), [1, 15]);
        // Not an escaped reference, nor one in a code span (which writes
        // none) or in the label.
        assert_eq!(reported("[a \\&#x202E;](/x \"&#x202E;\")"), [18]);
        assert_eq!(reported("[`&#x202E;`](/x \"&#x202E;\")"), [17]);
        let defined = "[x][&#x202E;] [y][&#x202E;]\n\n[&#x202E;]: /y \"&#x202E;\"\n";
        assert_eq!(reported(defined), [defined.rfind("&#x202E;").unwrap()]);
        // A label of Chinese characters (the search for its end had cut one).
        let chinese = "见[此][中国]。\n\n[中国]: /y \"&#x202E;t\"\n";
        assert_eq!(reported(chinese), [chinese.find("&#x202E;").unwrap()]);
    }

    #[test]
    fn a_nul_does_not_hide_a_control_from_the_report() {
        let event = Event::Text("\0\u{202E}".into());
        assert_eq!(unsafe_part(&event), Some(Unsafe::BidiControl('\u{202E}')));
        let first = |source| references_to(source, '\u{202E}').next();
        assert_eq!(first("&#x;&#12;&#x202e;"), Some(9..17));
        assert_eq!(first("&#x202E"), None);
        assert_eq!(first("&#x000000202E; \\&#x202E; \\\\&#x202E;"), Some(27..35));
        assert_eq!(first("&#00008238;&#0008238;"), Some(11..21));
    }

    #[test]
    fn every_text_an_event_carries_is_checked_and_cleaned() {
        use pulldown_cmark::{CodeBlockKind, LinkType};
        let bad = |at: usize| -> CowStr<'static> { if at == 0 { "a\u{202E}b".into() } else { "ok".into() } };
        let mut events: Vec<Event<'static>> = Vec::new();
        for at in 0..3 {
            let (dest_url, title, id) = (bad(at), bad((at + 2) % 3), bad((at + 1) % 3));
            events.push(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: dest_url.clone(),
                title: title.clone(),
                id: id.clone(),
            }));
            events.push(Event::Start(Tag::Image {
                link_type: LinkType::Inline,
                dest_url,
                title,
                id,
            }));
        }
        let text = || bad(0);
        events.extend([
            Event::Text(text()),
            Event::Code(text()),
            Event::Html(text()),
            Event::InlineHtml(text()),
            Event::FootnoteReference(text()),
            Event::Start(Tag::FootnoteDefinition(text())),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(text()))),
        ]);
        for event in events {
            assert_eq!(first_forbidden(&event), Some('\u{202E}'), "{event:?}");
            let cleaned = without_forbidden(event.clone());
            assert_eq!(first_forbidden(&cleaned), None, "{event:?} became {cleaned:?}");
        }
        assert_eq!(first_forbidden(&Event::Text("“引号”—a\0".into())), Some('\0'));
        assert_eq!(first_forbidden(&Event::Text("“引号”—".into())), None);
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        assert_eq!(
            to_html("a <script>alert(1)</script> b"),
            "<p>a &lt;script&gt;alert(1)&lt;/script&gt; b</p>\n"
        );
    }

    #[test]
    fn refused_schemes_lose_the_link_but_keep_the_text() {
        assert_eq!(to_html("[click](javascript:alert(1))"), "<p>click</p>\n");
        assert_eq!(to_html("[x](JavaScript:alert(1))"), "<p>x</p>\n");
        assert!(!is_allowed_url("java\tscript:alert(1)"));
        assert_eq!(
            to_html("[ok](https://example.org)"),
            format!("<p><a href=\"https://example.org\">ok{EXTERNAL_MARK}</a></p>\n")
        );
        assert_eq!(
            to_html("[ok](../glossary/index.html#x)"),
            "<p><a href=\"../glossary/index.html#x\">ok</a></p>\n"
        );
    }

    #[test]
    fn reports_each_unsafe_part_with_its_place() {
        let found = unsafe_parts("x [a](data:text/html,hi) <b>y</b>");
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].1, Unsafe::LinkScheme("data:text/html,hi".into()));
        assert_eq!(found[0].0.start, 2);
    }

    #[test]
    fn links_to_other_sites_are_marked_and_others_are_not() {
        assert!(to_html("[w](HTTPS://en.wikipedia.org/)").contains("(external site)"));
        assert!(to_html("[w](//example.org/)").contains("class=\"ext\""));
        for stays in ["[g](../glossary/index.html)", "[m](mailto:a@example.org)", "[f](#p1)"] {
            assert!(!to_html(stays).contains("ext"), "{stays}");
        }
    }

    #[test]
    fn remote_images_are_not_fetched_and_are_reported() {
        assert_eq!(to_html("![map](https://example.org/m.png)"), "<p>map</p>\n");
        assert_eq!(to_html("![map](//example.org/m.png)"), "<p>map</p>\n");
        let found = unsafe_parts("see ![map](https://example.org/m.png)");
        assert_eq!(
            found,
            vec![(4..37, Unsafe::RemoteImage("https://example.org/m.png".into()))]
        );
        let d = diagnostic(Path::new("t.md"), found[0].0.clone(), &found[0].1);
        assert_eq!((d.code, d.is_error()), ("remote-image", false));
        assert!(to_html("![map](static/m.png)").contains("<img src=\"static/m.png\""));
    }
}
