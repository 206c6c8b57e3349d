//! Batch plots as SVG: capture-date distributions, each front's advance and the tank army's
//! fuel over time, each against the calibration facts where there are any. Laid out by
//! [`super::svg::Page`]: titles and notes wrap inside the page and the margin grows to the
//! longest label; series differ in dash and marker as well as colour, so the plots read
//! printed in black and white.
//!
//! SVG is text, needs no fonts or renderer to write, and diffs cleanly; the same rows always
//! give byte-identical files, which is what lets `merge` promise the plots of an unsharded run.

use chrono::NaiveDateTime;

use super::batch::{Check, Manifest, RunRow, capture_times, nearest_rank};
use super::svg::{DASHES, MARKERS, Page, text_width};
use crate::model::time::parse_local;

const W: f64 = 900.0;
const RIGHT: f64 = 40.0;
/// Dark enough to tell apart in grey when printed, and distinct on screen.
const COLOURS: [&str; 6] = [
    "#1f4e9a", "#b22222", "#2e7d32", "#6a3d9a", "#c15d00", "#5d4037",
];

/// The campaign's time axis: the start of the first turn to the end of the last.
struct TimeAxis {
    start: NaiveDateTime,
    end: NaiveDateTime,
    /// Where the axis begins on the page.
    left: f64,
}

impl TimeAxis {
    fn of(m: &Manifest, rows: &[RunRow], left: f64) -> Option<Self> {
        let ends: Vec<NaiveDateTime> = m.turn_ends.iter().filter_map(|t| parse_local(t)).collect();
        let end = *ends.last()?;
        let first = *ends.first()?;
        // The turn length, to put the start one turn before the first turn's end.
        let turn = ends.get(1).map(|t| *t - first).unwrap_or_default();
        let earliest = rows.iter().flat_map(|r| r.captured.iter().flatten()).min();
        let start = earliest.copied().unwrap_or(first - turn).min(first - turn);
        Some(Self { start, end, left })
    }

    fn x(&self, t: NaiveDateTime) -> f64 {
        let span = (self.end - self.start).num_minutes().max(1) as f64;
        self.left + (W - self.left - RIGHT) * (t - self.start).num_minutes() as f64 / span
    }

    /// Vertical day lines with the date under the plot, every `step` days.
    fn draw(&self, svg: &mut Page, top: f64, bottom: f64) {
        let mut day = self
            .start
            .date()
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists");
        let days = (self.end - self.start).num_days().max(1);
        let step = if days > 14 { 2 } else { 1 };
        let mut i = 0;
        while day <= self.end {
            if day >= self.start {
                let x = self.x(day);
                svg.line(x, top, x, bottom, "#ccc", 1.0, "2 3");
                if i % step == 0 {
                    svg.text(
                        x,
                        bottom + 14.0,
                        &day.format("%d %b").to_string(),
                        "middle",
                        10.0,
                        "#444",
                    );
                }
            }
            day += chrono::Duration::days(1);
            i += 1;
        }
    }
}

/// Capture-date distributions of the places followed: a histogram per place (bar height: share of
/// runs captured in that turn), the p10–p90 span and median, and the documented window as a
/// grey band with a dashed edge.
pub fn captures_svg(m: &Manifest, rows: &[RunRow]) -> String {
    let row_h = 22.0;
    let mut svg = Page::new(W);
    let top = svg.heading(
        &format!(
            "{}: capture dates of the places followed ({} runs)",
            m.scenario,
            rows.len()
        ),
        "",
    );
    let left = 20.0
        + m.places
            .iter()
            .map(|p| text_width(p, 11.0))
            .fold(60.0, f64::max);
    let bottom = top + row_h * m.places.len() as f64;
    let Some(axis) = TimeAxis::of(m, rows, left) else {
        return svg.finish(top + 20.0);
    };
    axis.draw(&mut svg, top, bottom);
    for (i, place) in m.places.iter().enumerate() {
        let y0 = top + row_h * i as f64;
        let base = y0 + row_h - 3.0;
        let times = capture_times(rows, i);
        svg.text(left - 6.0, y0 + row_h * 0.7, place, "end", 11.0, "#000");
        for f in &m.calibration {
            if let Check::Captured {
                place: p,
                not_before,
                not_after,
            } = &f.check
                && p == place
                && let Some(b) = parse_local(not_after)
            {
                let a = not_before
                    .as_deref()
                    .and_then(parse_local)
                    .unwrap_or(axis.start);
                svg.rect(
                    axis.x(a),
                    y0 + 1.0,
                    axis.x(b) - axis.x(a),
                    row_h - 2.0,
                    "#e3e3e3",
                    "none",
                    "",
                );
                svg.line(
                    axis.x(b),
                    y0 + 1.0,
                    axis.x(b),
                    y0 + row_h - 1.0,
                    "#000",
                    1.5,
                    DASHES[1],
                );
            }
        }
        let mut counts: Vec<(NaiveDateTime, usize)> = Vec::new();
        for t in &times {
            match counts.last_mut() {
                Some((last, n)) if last == t => *n += 1,
                _ => counts.push((*t, 1)),
            }
        }
        for (t, n) in &counts {
            let h = (row_h - 6.0) * *n as f64 / rows.len().max(1) as f64;
            svg.rect(axis.x(*t) - 2.0, base - h, 4.0, h, "#555", "none", "");
        }
        if let (Some(p10), Some(med), Some(p90)) = (
            nearest_rank(&times, 0.1),
            nearest_rank(&times, 0.5),
            nearest_rank(&times, 0.9),
        ) {
            svg.line(
                axis.x(p10),
                base + 1.5,
                axis.x(p90),
                base + 1.5,
                "#000",
                1.5,
                "",
            );
            svg.rect(axis.x(med) - 1.5, base - 3.0, 3.0, 6.0, "#000", "none", "");
        }
        let share = times.len() as f64 / rows.len().max(1) as f64;
        svg.text(
            W - 4.0,
            y0 + row_h * 0.7,
            &format!("{:.0}%", share * 100.0),
            "end",
            9.0,
            "#333",
        );
    }
    let end = svg.footer(
        bottom + 24.0,
        &["Grey bars: share of runs taking the place at that time; black line and tick: p10–p90 and median; light band ending in a dashed line: the documented window (calibration.ron); right: share of runs that took the place.".to_string()],
    );
    svg.finish(end)
}

/// Median and p10–p90 band of a per-turn series over the runs, at each turn some run reached.
fn bands(
    series: impl Fn(&RunRow) -> &[f64],
    rows: &[RunRow],
    turns: usize,
) -> Vec<(usize, f64, f64, f64)> {
    (0..turns)
        .filter_map(|t| {
            let mut v: Vec<f64> = rows
                .iter()
                .filter_map(|r| series(r).get(t).copied())
                .collect();
            v.sort_by(f64::total_cmp);
            Some((
                t,
                nearest_rank(&v, 0.1)?,
                nearest_rank(&v, 0.5)?,
                nearest_rank(&v, 0.9)?,
            ))
        })
        .collect()
}

/// A column of every run's row, as a series over the turns.
type Column<'a> = Box<dyn Fn(&RunRow) -> &[f64] + 'a>;
/// A named column.
type Series<'a> = (String, Column<'a>);

/// A time-series chart: one median line and p10–p90 band per series, each series its own
/// dash and marker.
fn series_chart(
    m: &Manifest,
    rows: &[RunRow],
    title: &str,
    y_label: &str,
    series: &[Series<'_>],
    marks: &[(NaiveDateTime, f64, f64, String)],
) -> String {
    let plot_h = 380.0;
    let mut svg = Page::new(W);
    let top = svg.heading(title, "") + 14.0;
    let left = 80.0;
    let bottom = top + plot_h;
    let Some(axis) = TimeAxis::of(m, rows, left) else {
        return svg.finish(top + 20.0);
    };
    let ends: Vec<NaiveDateTime> = m.turn_ends.iter().filter_map(|t| parse_local(t)).collect();
    let all: Vec<Vec<(usize, f64, f64, f64)>> = series
        .iter()
        .map(|(_, f)| bands(f, rows, ends.len()))
        .collect();
    let top_value = all
        .iter()
        .flatten()
        .map(|b| b.3)
        .chain(marks.iter().map(|m| m.2))
        .fold(0.0f64, f64::max);
    let y_max = nice_ceiling(top_value);
    let y = |v: f64| bottom - plot_h * v / y_max;
    axis.draw(&mut svg, top, bottom);
    for k in 0..=5 {
        let v = y_max * k as f64 / 5.0;
        svg.line(left, y(v), W - RIGHT, y(v), "#ddd", 1.0, "");
        svg.text(left - 6.0, y(v) + 4.0, &format!("{v}"), "end", 10.0, "#333");
    }
    svg.text(left - 50.0, top - 10.0, y_label, "start", 11.0, "#000");
    for (i, b) in all.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let dash = DASHES[i % DASHES.len()];
        let marker = MARKERS[i % MARKERS.len()];
        let upper = b.iter().map(|(t, lo, _, _)| (axis.x(ends[*t]), y(*lo)));
        let lower = b
            .iter()
            .rev()
            .map(|(t, _, _, hi)| (axis.x(ends[*t]), y(*hi)));
        svg.polygon(&upper.chain(lower).collect::<Vec<_>>(), colour, 0.12);
        let median: Vec<(f64, f64)> = b
            .iter()
            .map(|(t, _, m, _)| (axis.x(ends[*t]), y(*m)))
            .collect();
        svg.polyline(&median, colour, 2.0, dash);
        // A marker every fourth turn, offset by series so that they do not sit on each other.
        for (x, yv) in median.iter().skip(i % 4).step_by(4) {
            svg.marker(marker, *x, *yv, 3.5, colour);
        }
    }
    // Marks of documented figures, then the legend under the date labels.
    for (t, lo, hi, label) in marks {
        let x = axis.x(*t);
        svg.line(x, y(*lo), x, y(*hi), "#000", 3.0, "");
        svg.line(x - 5.0, y(*lo), x + 5.0, y(*lo), "#000", 1.5, "");
        svg.line(x - 5.0, y(*hi), x + 5.0, y(*hi), "#000", 1.5, "");
        let anchor = if x + 8.0 + text_width(label, 10.0) > W - 4.0 {
            "end"
        } else {
            "start"
        };
        let lx = if anchor == "end" { x - 8.0 } else { x + 8.0 };
        svg.text(lx, y(*hi) + 4.0, label, anchor, 10.0, "#000");
    }
    let mut ly = bottom + 36.0;
    for (i, (name, _)) in series.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        svg.line(
            left,
            ly - 4.0,
            left + 30.0,
            ly - 4.0,
            colour,
            2.0,
            DASHES[i % DASHES.len()],
        );
        svg.marker(
            MARKERS[i % MARKERS.len()],
            left + 15.0,
            ly - 4.0,
            3.5,
            colour,
        );
        svg.text(
            left + 38.0,
            ly,
            &format!("{name} (median, p10–p90 band)"),
            "start",
            11.0,
            "#000",
        );
        ly += 16.0;
    }
    let notes = if marks.is_empty() {
        Vec::new()
    } else {
        vec!["Black bars: the documented figures (calibration.ron).".to_string()]
    };
    let end = svg.footer(ly - 6.0, &notes);
    svg.finish(end)
}

/// 1, 2 or 5 times a power of ten, at least `v` (and at least 1).
fn nice_ceiling(v: f64) -> f64 {
    if v <= 1.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|k| k * p)
        .find(|c| *c >= v)
        .unwrap_or(10.0 * p)
}

/// Each front's depth over time, with the documented depths (`Advance` facts) as bars.
pub fn advance_svg(m: &Manifest, rows: &[RunRow]) -> String {
    let series: Vec<Series<'static>> = (0..m.fronts.len())
        .map(|i| {
            let f: Column<'static> = Box::new(move |r: &RunRow| r.advance_km[i].as_slice());
            (m.fronts[i].clone(), f)
        })
        .collect();
    let marks: Vec<_> = m
        .calibration
        .iter()
        .filter_map(|f| match &f.check {
            Check::Advance {
                front,
                at,
                min_km,
                max_km,
            } => Some((
                parse_local(at)?,
                *min_km,
                *max_km,
                format!("{front}: {}", f.historical),
            )),
            _ => None,
        })
        .collect();
    series_chart(
        m,
        rows,
        &format!(
            "{}: depth of each front's deepest unit from where it started ({} runs)",
            m.scenario,
            rows.len()
        ),
        "km",
        &series,
        &marks,
    )
}

/// The followed formation's fuel on hand over time, in refills.
pub fn fuel_svg(m: &Manifest, rows: &[RunRow]) -> String {
    let name = m.followed.as_deref().unwrap_or("formation followed");
    let series: Vec<Series<'static>> = vec![(
        name.to_string(),
        Box::new(|r: &RunRow| r.tank_army_refills.as_slice()),
    )];
    series_chart(
        m,
        rows,
        &format!(
            "{}: fuel on hand of the {name} ({} runs)",
            m.scenario,
            rows.len()
        ),
        "refills",
        &series,
        &[],
    )
}
