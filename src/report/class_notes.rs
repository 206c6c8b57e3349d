//! The commented timeline of a saved game for a class (`replay SAVE --notes OUT`): turn by
//! turn the date, the battles, captures, fuel crises, airlifts and surrenders, and the
//! teacher's notes beside them; as plain text, Markdown or one self-contained HTML page
//! with a chart of the tank army's fuel.

use std::fmt::Write as _;

use crate::model::Side;
use crate::rules::phases::{Moment, MomentKind, Phases};
use crate::scenario::notes::NotesFile;

/// How the timeline is written, chosen by the output's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
}

impl Format {
    /// The format for a file name, or a message naming the ones there are.
    pub fn of(path: &std::path::Path) -> Result<Format, String> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "txt" => Ok(Format::Text),
            "md" => Ok(Format::Markdown),
            "html" | "htm" => Ok(Format::Html),
            _ => Err(format!(
                "--notes {}: the timeline is written as .txt, .md or .html; name a file with one of those endings",
                path.display()
            )),
        }
    }
}

/// One turn of the timeline: its phases' moments and the notes pinned to it.
struct TurnRow<'a> {
    turn: u32,
    date: String,
    /// (side, moment) in the order they happened.
    moments: Vec<(Side, &'a Moment)>,
    notes: Vec<&'a crate::scenario::notes::Note>,
}

fn turns<'a>(phases: &'a Phases, notes: &'a NotesFile) -> Vec<TurnRow<'a>> {
    let mut rows: Vec<TurnRow<'a>> = Vec::new();
    for p in &phases.phases {
        let Some(side) = p.side else { continue };
        if rows.last().is_none_or(|r| r.turn != p.turn) {
            rows.push(TurnRow {
                turn: p.turn,
                date: crate::model::time::parse_local(&p.time).map_or_else(
                    || p.time.clone(),
                    |t| t.format("%A %-d %B %Y, %H:%M").to_string(),
                ),
                moments: Vec::new(),
                notes: notes.notes.iter().filter(|n| n.turn == p.turn).collect(),
            });
        }
        let row = rows.last_mut().expect("a row was just pushed");
        row.moments.extend(p.moments.iter().map(|m| (side, m)));
    }
    rows
}

/// The formation whose fuel the chart follows: the one the scenario follows, else the first
/// formation the timeline follows.
fn charted_formation(phases: &Phases) -> Option<String> {
    phases
        .followed
        .clone()
        .or_else(|| phases.formations().first().cloned())
}

/// Writes the timeline.
pub fn timeline(
    phases: &Phases,
    notes: &NotesFile,
    title: &str,
    source: &str,
    format: Format,
) -> String {
    let rows = turns(phases, notes);
    match format {
        Format::Text => text(&rows, title, source, false),
        Format::Markdown => text(&rows, title, source, true),
        Format::Html => html(phases, &rows, title, source),
    }
}

fn kind_word(k: MomentKind) -> &'static str {
    match k {
        MomentKind::Battle => "Battle",
        MomentKind::Capture => "Captured",
        MomentKind::FuelCrisis => "Fuel",
        MomentKind::Airlift => "Airlift",
        MomentKind::Surrender => "Surrender",
    }
}

/// Battles are many; a class reads the first few of each side's phase and the count.
const BATTLES_LISTED: usize = 6;

/// The moments of a turn as a reader takes them in: everything but battles, then the first
/// battles and how many more there were.
fn listed<'a>(row: &TurnRow<'a>) -> (Vec<(Side, &'a Moment)>, usize) {
    let mut out: Vec<(Side, &Moment)> = row
        .moments
        .iter()
        .filter(|(_, m)| m.kind != MomentKind::Battle)
        .copied()
        .collect();
    let battles: Vec<(Side, &Moment)> = row
        .moments
        .iter()
        .filter(|(_, m)| m.kind == MomentKind::Battle)
        .copied()
        .collect();
    let more = battles.len().saturating_sub(BATTLES_LISTED);
    out.extend(battles.into_iter().take(BATTLES_LISTED));
    (out, more)
}

fn text(rows: &[TurnRow], title: &str, source: &str, markdown: bool) -> String {
    let mut s = String::new();
    if markdown {
        let _ = writeln!(s, "# {title}\n\nThe commented timeline of `{source}`.\n");
    } else {
        let _ = writeln!(
            s,
            "{title}\n{}\nThe commented timeline of {source}.\n",
            "=".repeat(title.chars().count())
        );
    }
    for r in rows {
        if markdown {
            let _ = writeln!(s, "## Turn {}: {}\n", r.turn, r.date);
        } else {
            let _ = writeln!(s, "Turn {}: {}", r.turn, r.date);
        }
        for n in &r.notes {
            let whose = n
                .side
                .map_or(String::new(), |s| format!(" ({} phase)", s.name()));
            if markdown {
                let _ = writeln!(s, "> **Note{whose}: {}**  ", n.title);
                for line in n.text.lines() {
                    let _ = writeln!(s, "> {line}  ");
                }
                s.push('\n');
            } else {
                let _ = writeln!(s, "  NOTE{whose}: {}", n.title);
                for line in n.text.lines() {
                    let _ = writeln!(s, "    {line}");
                }
            }
        }
        let (list, more) = listed(r);
        if list.is_empty() {
            let _ = writeln!(
                s,
                "{}No battles, captures, fuel crises or airlifts.",
                if markdown { "" } else { "  " }
            );
        }
        for (side, m) in list {
            let bullet = if markdown { "- " } else { "  - " };
            let _ = writeln!(
                s,
                "{bullet}{} ({} phase): {}",
                kind_word(m.kind),
                side.name(),
                m.text
            );
        }
        if more > 0 {
            let _ = writeln!(
                s,
                "{}and {more} more battle{}",
                if markdown { "- " } else { "  - " },
                if more == 1 { "" } else { "s" }
            );
        }
        s.push('\n');
    }
    s
}

/// Text made safe inside HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn html(phases: &Phases, rows: &[TurnRow], title: &str, source: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\n<style>\n\
         body{{font-family:Georgia,serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}}\n\
         h1{{margin-bottom:0.2em}} h2{{border-bottom:1px solid #ccc;margin-top:1.6em;font-size:1.2em}}\n\
         .note{{background:#fff6d5;border-left:5px solid #d9a400;padding:0.5em 1em;margin:0.6em 0}}\n\
         .note b{{display:block}} ul{{margin:0.3em 0}} .k{{font-weight:bold;display:inline-block;min-width:6em}}\n\
         .Battle{{color:#a11}} .Captured{{color:#136}} .Fuel{{color:#a50}} .Airlift{{color:#063}} .Surrender{{color:#555}}\n\
         .quiet{{color:#777;font-style:italic}} figure{{margin:1em 0}} figcaption{{font-size:0.9em;color:#555}}\n\
         </style></head><body>\n<h1>{t}</h1>\n<p>The commented timeline of <code>{src}</code>: turn by turn the battles, captures, fuel crises, airlifts and surrenders, and the teacher's notes beside them.</p>\n",
        t = esc(title),
        src = esc(source)
    );
    if let Some(f) = charted_formation(phases) {
        let series = phases.fuel_of(&f);
        if series.len() >= 2 {
            let _ = writeln!(
                s,
                "<figure>{}<figcaption>Fuel on hand in the {} at the end of each turn, in refills (one refill fills every tank and lorry once). Below the dashed line, at a quarter of a refill, the units can barely move.</figcaption></figure>",
                fuel_svg(&series),
                esc(&f)
            );
        }
    }
    for r in rows {
        let _ = writeln!(s, "<h2>Turn {}: {}</h2>", r.turn, esc(&r.date));
        for n in &r.notes {
            let whose = n
                .side
                .map_or(String::new(), |s| format!(" ({} phase)", s.name()));
            let _ = writeln!(
                s,
                "<div class=\"note\"><b>Note{}: {}</b>{}</div>",
                esc(&whose),
                esc(&n.title),
                esc(&n.text).replace('\n', "<br>")
            );
        }
        let (list, more) = listed(r);
        if list.is_empty() {
            let _ = writeln!(
                s,
                "<p class=\"quiet\">No battles, captures, fuel crises or airlifts.</p>"
            );
            continue;
        }
        s.push_str("<ul>\n");
        for (side, m) in list {
            let k = kind_word(m.kind);
            let _ = writeln!(
                s,
                "<li><span class=\"k {k}\">{k}</span> <small>({} phase)</small> {}</li>",
                side.name(),
                esc(&m.text)
            );
        }
        if more > 0 {
            let _ = writeln!(
                s,
                "<li class=\"quiet\">and {more} more battle{}</li>",
                if more == 1 { "" } else { "s" }
            );
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</body></html>\n");
    s
}

/// A line chart of fuel in refills over the turns, with the crisis line dashed.
fn fuel_svg(series: &[(String, f64)]) -> String {
    let (w, h, left, bottom, top, right) = (720.0, 240.0, 48.0, 34.0, 12.0, 12.0);
    let max = series
        .iter()
        .map(|(_, r)| *r)
        .fold(crate::rules::phases::FUEL_CRISIS_REFILLS * 2.0, f64::max)
        * 1.1;
    let n = series.len().max(2) - 1;
    let x = |i: usize| left + (w - left - right) * i as f64 / n as f64;
    let y = |v: f64| top + (h - top - bottom) * (1.0 - v / max);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"fuel on hand by turn\">"
    );
    let _ = write!(
        s,
        "<rect x=\"{left}\" y=\"{top}\" width=\"{}\" height=\"{}\" fill=\"#fafafa\" stroke=\"#bbb\"/>",
        w - left - right,
        h - top - bottom
    );
    // Gridlines at whole refills (or halves when there are few).
    let step = if max > 4.0 { 1.0 } else { 0.5 };
    let mut v = 0.0;
    while v <= max {
        let _ = write!(
            s,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#e2e2e2\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{v}</text>",
            w - right,
            left - 4.0,
            y(v) + 4.0,
            y = y(v)
        );
        v += step;
    }
    let crisis = y(crate::rules::phases::FUEL_CRISIS_REFILLS);
    let _ = write!(
        s,
        "<line x1=\"{left}\" x2=\"{}\" y1=\"{crisis:.1}\" y2=\"{crisis:.1}\" stroke=\"#c33\" stroke-dasharray=\"5 4\"/>",
        w - right
    );
    let points: Vec<String> = series
        .iter()
        .enumerate()
        .map(|(i, (_, r))| format!("{:.1},{:.1}", x(i), y(*r)))
        .collect();
    let _ = write!(
        s,
        "<polyline fill=\"none\" stroke=\"#a50\" stroke-width=\"2.5\" points=\"{}\"/>",
        points.join(" ")
    );
    // A date under the axis every few turns.
    let every = (series.len() / 6).max(1);
    for (i, (t, _)) in series.iter().enumerate().step_by(every) {
        let label = crate::report::words::short_date(t);
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
            x(i),
            h - bottom + 16.0,
            esc(&label)
        );
    }
    s.push_str("</svg>");
    s
}
