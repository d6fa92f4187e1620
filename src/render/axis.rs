//! The visual timeline: where each event sits on a time axis, as numbers
//! for `timeline-axis.html` (static SVG, drawn at build, so it works
//! without JavaScript and prints). A date is only as precise as written:
//! a day or a month is a dot, a bare year a year-wide mark, a span a bar.
//! Marks that would touch go to the next lane.

use serde::Serialize;

use crate::resolve::dates::PartialDate;
use crate::resolve::{ResolvedEra, ResolvedEvent};

/// The SVG's own units; it is scaled to the page's width.
const WIDTH: f64 = 960.0;
const MARGIN: f64 = 16.0;
/// Where the axis line is, below the year labels.
const AXIS_Y: f64 = 20.0;
const LANE: f64 = 11.0;
/// Room kept between two marks of one lane.
const GAP: f64 = 4.0;
const DOT_RADIUS: f64 = 3.5;
/// The width of one character of an era's label (11px Han).
const LABEL_CHAR: f64 = 11.0;
/// At most about this many year labels.
const LABELS: f64 = 12.0;

#[derive(Serialize)]
pub struct AxisView {
    pub width: String,
    pub height: String,
    pub axis_y: String,
    /// "1972–2019", for the figure's label.
    pub range: String,
    pub ticks: Vec<Tick>,
    /// The timeline's eras, as bands behind the marks.
    pub eras: Vec<Band>,
    /// Whether the eras are also listed under the axis: on the timeline
    /// pages (lanes), not on a reader's thin strip.
    pub legend: bool,
    pub marks: Vec<Mark>,
}

#[derive(Serialize)]
pub struct Band {
    pub x: String,
    pub width: String,
    pub title: String,
    pub title_en: Option<String>,
    /// "1979–1989", for its tooltip.
    pub dates: String,
    /// Whether its title fits inside it (else it is only in the tooltip).
    pub labelled: bool,
}

#[derive(Serialize)]
pub struct Tick {
    pub x: String,
    /// The year, on every labelled tick.
    pub label: Option<String>,
}

#[derive(Serialize)]
pub struct Mark {
    /// `dot`, `year` or `span`.
    pub kind: &'static str,
    pub x: String,
    pub y: String,
    /// For `year` and `span`: how wide; a dot's radius otherwise.
    pub width: String,
    pub href: String,
    /// The date and title, as the mark's tooltip and accessible name.
    pub label: String,
}

/// One event to draw: its dates and where its mark links.
pub struct Placed<'a> {
    pub event: &'a ResolvedEvent<'a>,
    pub href: String,
}

/// How marks that would touch are drawn.
#[derive(Clone, Copy, PartialEq)]
pub enum Layout {
    /// Each in the first lane where it fits (the timeline page).
    Lanes,
    /// All in one lane, a thin strip (a reader page).
    Strip,
}

/// The axis spans the years of every event and era (so that every
/// reading's strip shares the site's axis); `shown` are the events drawn on
/// it, over every era. None without events.
pub fn axis(all: &[ResolvedEvent], eras: &[ResolvedEra], shown: &[Placed], layout: Layout) -> Option<AxisView> {
    let first = all.iter().map(|e| start(&e.date)).reduce(f64::min)?;
    let last = all.iter().map(|e| finish(e)).reduce(f64::max)?;
    let first = eras.iter().map(|e| start(&e.date)).fold(first, f64::min);
    let last = eras.iter().map(|e| end_of(&e.end)).fold(last, f64::max);
    let (from, to) = (first.floor(), last.ceil().max(first.floor() + 1.0));
    let scale = |t: f64| MARGIN + (t - from) / (to - from) * (WIDTH - 2.0 * MARGIN);
    let mut lanes: Vec<f64> = Vec::new();
    let mut marks: Vec<(f64, Mark)> = Vec::new();
    let mut order: Vec<&Placed> = shown.iter().collect();
    order.sort_by(|a, b| start(&a.event.date).total_cmp(&start(&b.event.date)));
    for placed in order {
        let event = placed.event;
        let (kind, left, right) = match (event.end, event.date.month) {
            (Some(_), _) => ("span", scale(start(&event.date)), scale(finish(event))),
            (None, None) => ("year", scale(start(&event.date)), scale(finish(event))),
            (None, Some(_)) => {
                let x = scale(middle(&event.date));
                ("dot", x - DOT_RADIUS, x + DOT_RADIUS)
            }
        };
        let free = lanes
            .iter()
            .position(|&end| layout == Layout::Strip || end + GAP <= left);
        let lane = match free {
            Some(lane) => lane,
            None => {
                lanes.push(f64::NEG_INFINITY);
                lanes.len() - 1
            }
        };
        lanes[lane] = right;
        let y = AXIS_Y + 8.0 + lane as f64 * LANE;
        let (x, width) = match kind {
            "dot" => ((left + right) / 2.0, DOT_RADIUS),
            _ => (left, (right - left).max(2.0)),
        };
        let label = match event.end {
            Some(end) => format!("{}–{} {}", event.date.chinese(), end.chinese(), event.event.title),
            None => format!("{} {}", event.date.chinese(), event.event.title),
        };
        marks.push((
            y,
            Mark {
                kind,
                x: number(x),
                y: number(y),
                width: number(width),
                href: placed.href.clone(),
                label,
            },
        ));
    }
    let height = AXIS_Y + 8.0 + lanes.len().max(1) as f64 * LANE;
    Some(AxisView {
        width: number(WIDTH),
        height: number(height),
        axis_y: number(AXIS_Y),
        range: format!("{}–{}", from as i64, to as i64 - 1),
        ticks: ticks(from, to, scale),
        eras: eras
            .iter()
            .map(|era| {
                let (left, right) = (scale(start(&era.date)), scale(end_of(&era.end)));
                Band {
                    x: number(left),
                    width: number(right - left),
                    title: era.era.title.clone(),
                    title_en: era.era.title_en.clone(),
                    dates: format!("{}–{}", era.date.chinese(), era.end.chinese()),
                    labelled: era.era.title.chars().count() as f64 * LABEL_CHAR + 6.0 <= right - left,
                }
            })
            .collect(),
        legend: layout == Layout::Lanes && !eras.is_empty(),
        marks: marks.into_iter().map(|(_, mark)| mark).collect(),
    })
}

/// A tick each year (each decade on a long axis), labelled every 1, 2, 5,
/// 10, … years so that about `LABELS` labels show.
fn ticks(from: f64, to: f64, scale: impl Fn(f64) -> f64) -> Vec<Tick> {
    let years = to - from;
    let step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|&step| years / f64::from(step) <= LABELS)
        .unwrap_or(1000);
    let minor = if years <= 100.0 { 1 } else { step };
    let mut ticks = Vec::new();
    // Ticks fall on years as historians count them, so that 500 BCE is
    // labelled, not 501 BCE; there is no year 0 to tick.
    let mut year = year_at(from).div_euclid(minor) * minor;
    if position(year) < from {
        year += minor;
    }
    while position(year) <= to {
        if year != 0 {
            let labelled = year % step == 0 && position(year) < to;
            ticks.push(Tick {
                x: number(scale(position(year))),
                label: labelled.then(|| year_label(year)),
            });
        }
        year += minor;
    }
    ticks
}

/// Where `year` (as historians count it, with no year 0) starts on the
/// axis's scale, which is continuous: 1 BCE runs from 0 to 1, 1 CE from 1.
fn position(year: i32) -> f64 {
    f64::from(if year < 0 { year + 1 } else { year })
}

/// The year that is running at `t` on the axis's scale.
fn year_at(t: f64) -> i32 {
    let whole = t.floor() as i32;
    if whole <= 0 { whole - 1 } else { whole }
}

/// "1979" or "500 BCE".
fn year_label(year: i32) -> String {
    if year < 0 {
        format!("{} BCE", -year)
    } else {
        year.to_string()
    }
}

/// The first moment a date names, in years.
fn start(date: &PartialDate) -> f64 {
    let year = position(date.year);
    match (date.month, date.day) {
        // A month is a twelfth whatever its length, and a day a 31st of
        // it, so that no day reaches past its year's end.
        (Some(m), Some(d)) => year + (f64::from(m) - 1.0 + (f64::from(d) - 1.0) / 31.0) / 12.0,
        (Some(m), None) => year + (f64::from(m) - 1.0) / 12.0,
        _ => year,
    }
}

/// The last moment an event covers: the end of its last day, month or year.
fn finish(event: &ResolvedEvent) -> f64 {
    end_of(&event.end.unwrap_or(event.date))
}

/// The end of the day, month or year a date names.
fn end_of(date: &PartialDate) -> f64 {
    start(date)
        + match (date.month, date.day) {
            (Some(_), Some(_)) => 1.0 / (12.0 * 31.0),
            (Some(_), None) => 1.0 / 12.0,
            _ => 1.0,
        }
}

/// Where a dot goes: its day, or the middle of its month.
fn middle(date: &PartialDate) -> f64 {
    match date.day {
        Some(_) => start(date),
        None => start(date) + 1.0 / 24.0,
    }
}

/// One decimal: enough for the eye, and the same on every machine.
fn number(value: f64) -> String {
    format!("{value:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> PartialDate {
        PartialDate::parse(text).unwrap()
    }

    #[test]
    fn the_last_day_of_a_year_ends_within_it() {
        let end = end_of(&date("2019-12-31"));
        assert!(end <= 2020.0 + 1e-9, "{end}");
    }

    #[test]
    fn a_date_covers_its_precision() {
        assert_eq!(start(&date("1979")), 1979.0);
        assert!((start(&date("1979-07")) - 1979.5).abs() < 1e-9);
        assert!((middle(&date("1979-01")) - (1979.0 + 1.0 / 24.0)).abs() < 1e-9);
    }

    #[test]
    fn years_before_the_common_era_have_no_year_0() {
        assert_eq!(start(&date("-0001")), 0.0);
        assert_eq!(start(&date("0001")), 1.0);
        assert_eq!(end_of(&date("-0001")), start(&date("0001")));
        let from = start(&date("-0510"));
        let labels: Vec<String> = ticks(from, 2020.0, |t| t).into_iter().filter_map(|t| t.label).collect();
        assert!(labels.contains(&"500 BCE".to_owned()), "{labels:?}");
        assert!(labels.contains(&"2000".to_owned()), "{labels:?}");
        assert!(!labels.iter().any(|l| l == "0" || l.starts_with('-')), "{labels:?}");
    }

    #[test]
    fn about_a_dozen_labels_whatever_the_range() {
        let scale = |t: f64| t;
        let labels = |from, to| ticks(from, to, scale).iter().filter(|t| t.label.is_some()).count();
        assert_eq!(labels(1972.0, 1980.0), 8);
        assert!(labels(1972.0, 2020.0) <= 12);
        assert!(labels(-500.0, 2000.0) <= 12);
    }
}
