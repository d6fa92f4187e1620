//! Running `pdftotext` (poppler-utils) on a PDF. The importer reads
//! `pdftotext -bbox-layout`, which gives every line with its position, and
//! writes it out as `-layout`-style text: one line per printed line, the
//! first-line indent and centring as leading spaces, larger gaps as blank
//! lines, pages ending in form feeds, and a two-column page's columns one
//! after the other (left, then right). A line across both columns between
//! two-column lines makes the order untrustworthy: the page is refused.
//! (`-layout` itself puts both columns on one line, and where a row of the
//! left column is full the gap between them can vanish; the default mode
//! drops the indents. Measured in docs/import.md.)

use std::path::Path;
use std::process::Command;

/// What to do without pdftotext: install it. Text extracted elsewhere is
/// the fallback for a single-column paper only (`-layout` text of two
/// columns is refused where their order is in doubt; see `pages`).
pub const INSTALL_HINT: &str = "install poppler-utils (`sudo apt-get install poppler-utils`; \
     macOS: `brew install poppler`) and import the PDF again. Only where that cannot be done, \
     and for a single-column paper only: extract the text elsewhere with \
     `pdftotext -layout PAPER.pdf PAPER.txt` and import PAPER.txt";

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("{path}: pdftotext is not installed, and it is needed to read a PDF: {INSTALL_HINT}")]
    Missing { path: String },
    #[error("{path}: pdftotext could not read the PDF ({status}): {stderr}")]
    Failed {
        path: String,
        status: String,
        stderr: String,
    },
    #[error(
        "{path}: page {page} has a line across both columns between two-column text \
         (“{line}”), so the reading order cannot be trusted; extract the page yourself \
         (e.g. `pdftotext -layout -f {page} -l {page} -x X -y Y -W W -H H`, one column \
         at a time), put the text in order and import the .txt"
    )]
    Columns { path: String, page: usize, line: String },
    #[error(
        "{path}: the PDF has no text layer (a scan without OCR?): run OCR first, e.g. `ocrmypdf -l chi_sim`, then import again"
    )]
    NoText { path: String },
}

/// Which extraction of `pdftotext` to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `pdftotext -layout`.
    Layout,
    /// `pdftotext` in its default reading order.
    Raw,
}

/// The article's text, in reading order, as `-layout`-style text.
pub fn read(path: &Path) -> Result<String, PdfError> {
    let bbox = extract_bbox(path)?;
    let pages = parse_bbox(&bbox);
    // A page with few lines in one column (the last, say) is read with the
    // gutter of the other pages, when most of them have one.
    let gutters: Vec<Option<f64>> = pages.iter().map(page_gutter).collect();
    let mut found: Vec<f64> = gutters.iter().flatten().copied().collect();
    found.sort_by(f64::total_cmp);
    let typical = (found.len() * 2 > pages.len()).then(|| found[found.len() / 2]);
    let mut out = String::new();
    for (index, page) in pages.iter().enumerate() {
        match order_page(page, gutters[index].or(typical)) {
            Ok(text) => out.push_str(&text),
            Err(line) => {
                return Err(PdfError::Columns {
                    path: path.display().to_string(),
                    page: index + 1,
                    line,
                });
            }
        }
        out.push('\u{c}');
    }
    if out.chars().all(|c| c.is_whitespace()) {
        return Err(PdfError::NoText {
            path: path.display().to_string(),
        });
    }
    Ok(out)
}

/// One printed line: its box in points and its words.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxLine {
    pub x_min: f64,
    pub y_min: f64,
    pub x_max: f64,
    pub y_max: f64,
    pub text: String,
    /// The x extent of each word, to join them as print spaces them.
    pub words: Vec<(f64, f64, String)>,
}

/// A page: its width and its lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BoxPage {
    pub width: f64,
    pub lines: Vec<BoxLine>,
}

/// Reads the XHTML `pdftotext -bbox-layout` writes: `<page width=…>`,
/// `<line xMin=… yMin=… xMax=… yMax=…>` and `<word …>text</word>`.
pub fn parse_bbox(xhtml: &str) -> Vec<BoxPage> {
    let mut pages: Vec<BoxPage> = Vec::new();
    let mut rest = xhtml;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if tag.starts_with("<page ") {
            pages.push(BoxPage {
                width: attribute(tag, "width").unwrap_or(0.0),
                lines: Vec::new(),
            });
        } else if tag.starts_with("<line ") {
            if let Some(page) = pages.last_mut() {
                page.lines.push(BoxLine {
                    x_min: attribute(tag, "xMin").unwrap_or(0.0),
                    y_min: attribute(tag, "yMin").unwrap_or(0.0),
                    x_max: attribute(tag, "xMax").unwrap_or(0.0),
                    y_max: attribute(tag, "yMax").unwrap_or(0.0),
                    text: String::new(),
                    words: Vec::new(),
                });
            }
        } else if tag.starts_with("<word ") {
            let after = &rest[(end + 1).min(rest.len())..];
            let word = &after[..after.find('<').unwrap_or(after.len())];
            if let Some(line) = pages.last_mut().and_then(|p| p.lines.last_mut()) {
                let (x_min, x_max) = (
                    attribute(tag, "xMin").unwrap_or(0.0),
                    attribute(tag, "xMax").unwrap_or(0.0),
                );
                line.words.push((x_min, x_max, unescape(word)));
            }
        }
        rest = &rest[end.min(rest.len())..];
        if rest.len() <= 1 {
            break;
        }
        rest = &rest[1..];
    }
    pages
}

fn attribute(tag: &str, name: &str) -> Option<f64> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let value = &tag[at..];
    value[..value.find('"')?].parse().ok()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A page's lines as text in reading order. `Err` with the offending line
/// when a line crosses the gutter between two-column lines.
fn page_gutter(page: &BoxPage) -> Option<f64> {
    let lines: Vec<&BoxLine> = page.lines.iter().collect();
    gutter(page.width, &lines)
}

pub fn order_page(page: &BoxPage, gutter: Option<f64>) -> Result<String, String> {
    let mut lines: Vec<BoxLine> = page
        .lines
        .iter()
        .filter(|l| !l.words.is_empty() || !l.text.is_empty())
        .cloned()
        .collect();
    let em = {
        for line in &mut lines {
            if line.text.is_empty() {
                line.text = line.words.iter().map(|w| w.2.as_str()).collect::<Vec<_>>().join(" ");
            }
        }
        let refs: Vec<&BoxLine> = lines.iter().collect();
        em_size(&refs)
    };
    for line in &mut lines {
        if !line.words.is_empty() {
            line.text = join_words(&line.words, em);
        }
    }
    lines.retain(|l| !l.text.trim().is_empty());
    lines.sort_by(|a, b| a.y_min.total_cmp(&b.y_min).then(a.x_min.total_cmp(&b.x_min)));
    if lines.is_empty() {
        return Ok(String::new());
    }
    let refs: Vec<&BoxLine> = lines.iter().collect();
    let Some(gutter) = gutter else {
        return Ok(render(&refs, em));
    };
    let is_left = |l: &BoxLine| l.x_max <= gutter;
    let is_right = |l: &BoxLine| l.x_min >= gutter;
    // The two-column region: from where both columns have begun to where
    // the first of them ends. Above it, lines on one side are front matter or
    // a running head; below it, a column may go on alone (a last page).
    let height = median_height(&refs, em);
    // By each line's middle: a heading's box is taller than a text line's.
    let middle = |l: &BoxLine| (l.y_min + l.y_max) / 2.0;
    let first_of = |side: &dyn Fn(&BoxLine) -> bool| lines.iter().filter(|l| side(l)).map(middle).reduce(f64::min);
    let last_of = |side: &dyn Fn(&BoxLine) -> bool| lines.iter().filter(|l| side(l)).map(middle).reduce(f64::max);
    let (Some(left_top), Some(right_top), Some(left_end), Some(right_end)) = (
        first_of(&is_left),
        first_of(&is_right),
        last_of(&is_left),
        last_of(&is_right),
    ) else {
        return Ok(render(&refs, em));
    };
    let top = left_top.max(right_top) - height * 0.6;
    let bottom = left_end.min(right_end) + height * 0.6;
    let mut groups: [Vec<&BoxLine>; 4] = Default::default();
    for line in &lines {
        let group = if middle(line) < top {
            0
        } else if middle(line) > bottom && !is_left(line) && !is_right(line) {
            3
        } else if is_left(line) {
            1
        } else if is_right(line) {
            2
        } else {
            return Err(line.text.clone());
        };
        groups[group].push(line);
    }
    let mut out = String::new();
    for group in &groups {
        if !group.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&render(group, em));
        }
    }
    Ok(out)
}

/// Words of one line (or row) joined: a space where print leaves a gap of
/// more than a sixth of a character, none where the words touch (a
/// superscript note number, a bold label).
fn join_words(words: &[(f64, f64, String)], em: f64) -> String {
    let mut sorted: Vec<&(f64, f64, String)> = words.iter().collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out = String::new();
    let mut end: Option<f64> = None;
    for (x_min, x_max, text) in sorted {
        if let Some(end) = end {
            let gap = x_min - end;
            if gap > em / 6.0 {
                let spaces = ((gap / (em / 2.0)).round() as usize).clamp(1, 40);
                out.push_str(&" ".repeat(spaces));
            }
        }
        out.push_str(text);
        end = Some(*x_max);
    }
    out
}

fn median_height(lines: &[&BoxLine], em: f64) -> f64 {
    let mut heights: Vec<f64> = lines.iter().map(|l| l.y_max - l.y_min).collect();
    heights.sort_by(f64::total_cmp);
    heights.get(heights.len() / 2).copied().unwrap_or(em).max(1.0)
}

/// The width of a Chinese character on the page: the median over lines of
/// their width per character cell.
fn em_size(lines: &[&BoxLine]) -> f64 {
    let mut sizes: Vec<f64> = lines
        .iter()
        .filter_map(|l| {
            let cells = super::lines::width(&l.text);
            (cells >= 8.0).then(|| (l.x_max - l.x_min) / cells)
        })
        .collect();
    sizes.sort_by(f64::total_cmp);
    sizes.get(sizes.len() / 2).copied().filter(|s| *s > 0.0).unwrap_or(10.0)
}

/// The x of the gap between two columns: the middle of the widest band near
/// the page's middle with at least a quarter of the page's lines wholly on
/// each side. None for a single-column page.
fn gutter(width: f64, lines: &[&BoxLine]) -> Option<f64> {
    if width <= 0.0 {
        return None;
    }
    let mut scores: Vec<(f64, usize)> = Vec::new();
    let mut x = width * 0.35;
    while x <= width * 0.65 {
        let left = lines.iter().filter(|l| l.x_max <= x).count();
        let right = lines.iter().filter(|l| l.x_min >= x).count();
        scores.push((x, left.min(right)));
        x += 1.0;
    }
    let best = scores.iter().map(|s| s.1).max()?;
    if best < 3 || best * 4 < lines.len() {
        return None;
    }
    // A line or two of front matter may reach into the gap: the band is
    // where nearly as many lines lie on each side as at best.
    let near = best - (best / 10).max(2);
    let at_best = scores.iter().position(|s| s.1 == best)?;
    let mut from = at_best;
    while from > 0 && scores[from - 1].1 >= near {
        from -= 1;
    }
    let mut to = at_best;
    while to + 1 < scores.len() && scores[to + 1].1 >= near {
        to += 1;
    }
    Some((scores[from].0 + scores[to].0) / 2.0)
}

/// Lines of one column (or of a single-column page) as text: lines on one
/// row joined, leading spaces for the indent from the column's left edge, in
/// half characters; blank lines for a gap of more than a line.
fn render(lines: &[&BoxLine], em: f64) -> String {
    let left = lines.iter().map(|l| l.x_min).fold(f64::MAX, f64::min);
    let height = median_height(lines, em);
    // Rows: lines whose tops are within half a line of each other, by the
    // taller of the two (a superscript's own box is short) but no more than
    // the page's usual line: notes in a smaller type are set closer.
    let mut rows: Vec<Vec<&BoxLine>> = Vec::new();
    for line in lines {
        let own = |l: &BoxLine| (l.y_max - l.y_min).clamp(1.0, height);
        match rows.last_mut() {
            Some(row) if (row[0].y_min - line.y_min).abs() < own(row[0]).max(own(line)) * 0.5 => row.push(line),
            _ => rows.push(vec![line]),
        }
    }
    let mut out = String::new();
    let mut previous_bottom: Option<f64> = None;
    for row in &rows {
        let y_min = row.iter().map(|l| l.y_min).fold(f64::MAX, f64::min);
        let y_max = row.iter().map(|l| l.y_max).fold(f64::MIN, f64::max);
        let x_min = row.iter().map(|l| l.x_min).fold(f64::MAX, f64::min);
        if let Some(bottom) = previous_bottom {
            let blanks = ((y_min - bottom) / height).floor().clamp(0.0, 3.0) as usize;
            out.push('\n');
            out.push_str(&"\n".repeat(blanks));
        }
        let words: Vec<(f64, f64, String)> = row
            .iter()
            .map(|l| (l.x_min, l.x_max, l.text.trim().to_string()))
            .collect();
        let indent = ((x_min - left) / (em / 2.0)).round().max(0.0) as usize;
        out.push_str(&" ".repeat(indent.min(200)));
        out.push_str(&join_words(&words, em));
        previous_bottom = Some(y_max);
    }
    out
}

fn extract_bbox(path: &Path) -> Result<String, PdfError> {
    run(path, &["-bbox-layout"])
}

/// Whether a file is a PDF, by its first bytes (not its name).
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// Runs `pdftotext` (found on PATH, or at `$DUBEN_PDFTOTEXT`) on `path`.
pub fn extract(path: &Path, mode: Mode) -> Result<String, PdfError> {
    let text = match mode {
        Mode::Layout => run(path, &["-layout"])?,
        Mode::Raw => run(path, &[])?,
    };
    if text.chars().all(|c| c.is_whitespace()) {
        return Err(PdfError::NoText {
            path: path.display().to_string(),
        });
    }
    Ok(text)
}

fn run(path: &Path, args: &[&str]) -> Result<String, PdfError> {
    let program = std::env::var_os("DUBEN_PDFTOTEXT").unwrap_or_else(|| "pdftotext".into());
    let mut command = Command::new(program);
    command.args(args).args(["-enc", "UTF-8"]).arg(path).arg("-");
    let shown = path.display().to_string();
    let output = match command.output() {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(PdfError::Missing { path: shown });
        }
        Err(error) => {
            return Err(PdfError::Failed {
                path: shown,
                status: "could not start".into(),
                stderr: error.to_string(),
            });
        }
    };
    if !output.status.success() {
        return Err(PdfError::Failed {
            path: shown,
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(x_min: f64, y: f64, x_max: f64, text: &str) -> String {
        format!(
            "<line xMin=\"{x_min}\" yMin=\"{y}\" xMax=\"{x_max}\" yMax=\"{}\"><word xMin=\"{x_min}\" yMin=\"{y}\" xMax=\"{x_max}\" yMax=\"{}\">{text}</word></line>\n",
            y + 12.0,
            y + 12.0
        )
    }

    #[test]
    fn two_columns_are_read_left_then_right_under_the_front_matter() {
        let mut xhtml = String::from("<doc><page width=\"600\" height=\"800\">");
        xhtml.push_str(&line(150.0, 40.0, 450.0, "横跨两栏的标题"));
        for i in 0..6 {
            let y = 80.0 + 20.0 * f64::from(i);
            xhtml.push_str(&line(60.0, y, 285.0, &format!("左栏第{i}行")));
            xhtml.push_str(&line(310.0, y, 535.0, &format!("右栏第{i}行")));
        }
        xhtml.push_str(&line(290.0, 760.0, 310.0, "- 3 -"));
        let pages = parse_bbox(&xhtml);
        let text = order_page(&pages[0], page_gutter(&pages[0])).unwrap();
        let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        assert_eq!(lines[0], "横跨两栏的标题");
        assert_eq!(lines[1], "左栏第0行");
        assert_eq!(lines[7], "右栏第0行");
        assert_eq!(lines[13], "- 3 -");
    }

    #[test]
    fn a_line_across_the_columns_between_them_is_refused() {
        let mut xhtml = String::from("<page width=\"600\" height=\"800\">");
        for i in 0..6 {
            let y = 80.0 + 20.0 * f64::from(i);
            xhtml.push_str(&line(60.0, y, 285.0, "左栏"));
            xhtml.push_str(&line(310.0, y, 535.0, "右栏"));
        }
        xhtml.push_str(&line(60.0, 125.0, 535.0, "一行横跨两栏的表格"));
        let pages = parse_bbox(&xhtml);
        assert_eq!(
            order_page(&pages[0], page_gutter(&pages[0])),
            Err("一行横跨两栏的表格".to_string())
        );
    }

    /// Note lines in a smaller type stand closer than half a body line:
    /// each is still a row of its own (as pdftotext boxes them, taller than
    /// the type, their boxes overlap).
    #[test]
    fn lines_in_a_smaller_type_are_rows_of_their_own() {
        let boxed = |y: f64, height: f64, text: &str| {
            format!(
                "<line xMin=\"60\" yMin=\"{y}\" xMax=\"500\" yMax=\"{}\"><word xMin=\"60\" yMin=\"{y}\" xMax=\"500\" yMax=\"{}\">{text}</word></line>\n",
                y + height,
                y + height
            )
        };
        let mut xhtml = String::from("<page width=\"600\" height=\"800\">");
        for i in 0..6 {
            xhtml.push_str(&boxed(80.0 + 19.0 * f64::from(i), 27.0, &format!("正文第{i}行的文字")));
        }
        xhtml.push_str(&boxed(720.0, 22.0, "作者简介：姚云竹，中国军事科学学会高级顾问。"));
        xhtml.push_str(&boxed(733.0, 22.0, "1联合公报于北京时间1978年12月16日发表。"));
        let pages = parse_bbox(&xhtml);
        let text = order_page(&pages[0], None).unwrap();
        let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 8, "{text}");
        assert_eq!(lines[7], "1联合公报于北京时间1978年12月16日发表。");
    }

    #[test]
    fn broken_bbox_output_does_not_panic() {
        for xhtml in [
            "",
            "<",
            "<page",
            "<page width=\"x\">",
            "<line xMin=\"1\">",
            "<page width=\"NaN\"><line xMin=\"NaN\"><word>&amp;</word>",
            "<word>中</word>>>",
        ] {
            for page in parse_bbox(xhtml) {
                let _ = order_page(&page, page_gutter(&page));
            }
        }
    }

    #[test]
    fn a_pdf_is_known_by_its_header() {
        assert!(is_pdf(b"%PDF-1.4\n..."));
        assert!(!is_pdf("中美军事关系".as_bytes()));
        assert!(!is_pdf(b""));
    }
}
