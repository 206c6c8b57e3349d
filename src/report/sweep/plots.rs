//! The tornado and discovery plots of a sweep, and the names and labels they are written
//! under.

use crate::model::time::display_local;
use crate::report::svg::{DASHES, Marker, Page, text_width};
use crate::scenario::sweep::Outcome;

use super::*;

pub(super) const TORNADO_W: f64 = 860.0;

/// The tornado plot of one outcome: a bar per input, strongest at the top, from 0 to its
/// PRCC, with the 95 % interval as a whisker. Solid bars raise the outcome, hatched bars
/// lower it; the values are written beside them.
pub fn tornado_svg(m: &SweepManifest, a: &Analysis, k: usize) -> String {
    let o = &a.sensitivity[k];
    let mut page = Page::new(TORNADO_W);
    page.hatching();
    let later = matches!(m.outcomes[k], Outcome::Captured(_));
    let top = page.heading(
        &format!("What moves {}", o.words),
        &format!(
            "Partial rank correlation of each input over {} runs ({} points × {} seeds), with its 95 % interval",
            o.runs,
            m.design.len(),
            m.seeds_per_point
        ),
    );
    let label_w = o
        .effects
        .iter()
        .map(|e| text_width(&e.input, 12.0))
        .fold(0.0, f64::max);
    let left = 20.0 + label_w + 12.0;
    let right = 130.0;
    let plot_w = TORNADO_W - left - right;
    let x = |v: f64| left + plot_w * (v + 1.0) / 2.0;
    let row_h = 30.0;
    let bottom = top + row_h * o.effects.len() as f64;
    for t in [-1.0, -0.5, 0.0, 0.5, 1.0] {
        let dash = if t == 0.0 { "" } else { "3 3" };
        let ink = if t == 0.0 { "#000" } else { "#999" };
        page.line(x(t), top - 4.0, x(t), bottom, ink, 1.0, dash);
        page.text(
            x(t),
            bottom + 15.0,
            &format!("{t:+.1}"),
            "middle",
            11.0,
            "#000",
        );
    }
    for (i, e) in o.effects.iter().enumerate() {
        let yc = top + row_h * (i as f64 + 0.5);
        page.text(left - 10.0, yc + 4.0, &e.input, "end", 12.0, "#000");
        match e.prcc {
            Some(p) => {
                let (x0, x1) = (x(0.0), x(p.prcc));
                let fill = if p.prcc >= 0.0 { "#555" } else { "url(#hatch)" };
                page.rect(
                    x0.min(x1),
                    yc - 9.0,
                    (x1 - x0).abs(),
                    18.0,
                    fill,
                    "#000",
                    "",
                );
                page.line(x(p.low_95), yc, x(p.high_95), yc, "#000", 1.5, "");
                for w in [p.low_95, p.high_95] {
                    page.line(x(w), yc - 6.0, x(w), yc + 6.0, "#000", 1.5, "");
                }
                page.text(
                    x(1.0) + 8.0,
                    yc + 4.0,
                    &format!(
                        "{:+.2}{}",
                        p.prcc,
                        if p.beyond_noise() { "" } else { " (noise)" }
                    ),
                    "start",
                    11.0,
                    "#000",
                );
            }
            None => page.text(x(0.0) + 6.0, yc + 4.0, "undefined", "start", 11.0, "#000"),
        }
    }
    let mut notes = vec![
        "Solid bar: more of the input, more of the outcome; hatched bar: less. Whiskers: 95 % interval (Fisher z); \"(noise)\": the interval holds 0.".to_string(),
    ];
    if later {
        notes.push(
            "For a capture, more means later; a run that never took the place counts as latest."
                .into(),
        );
    }
    let end = page.footer(bottom + 24.0, &notes);
    page.finish(end)
}

pub(super) const DISCOVERY_W: f64 = 860.0;

/// The discovery plot of one question: each design point placed by the two inputs of the
/// box (or the box's input and the input that moves the outcome most), marked by how many of
/// its seeds the question holds in, the box drawn dashed.
pub fn discovery_svg(m: &SweepManifest, rows: &[SweepRow], a: &Analysis, qi: usize) -> String {
    let d = &a.discovery[qi];
    let q = &m.questions[qi];
    let k = m.outcomes.iter().position(|o| *o == q.outcome).unwrap_or(0);
    let index = |name: &str| m.inputs.iter().position(|i| i.def.name == name);
    // The box's inputs, the one that moves the outcome most first; then, for a box on one
    // input, the input that moves the outcome most of the others.
    let strength = |j: usize| {
        a.sensitivity[k]
            .effects
            .iter()
            .find(|e| e.input == m.inputs[j].def.name)
            .and_then(|e| e.prcc)
            .map_or(0.0, |p| p.prcc.abs())
    };
    let mut axes: Vec<usize> = d.limits.iter().filter_map(|l| index(&l.input)).collect();
    axes.sort_by(|x, y| strength(*y).total_cmp(&strength(*x)));
    let hidden: Vec<&BoxLimit> = d
        .limits
        .iter()
        .filter(|l| index(&l.input).is_some_and(|j| !axes[..axes.len().min(2)].contains(&j)))
        .collect();
    axes.truncate(2);
    for e in &a.sensitivity[k].effects {
        if axes.len() >= 2 {
            break;
        }
        if let Some(j) = index(&e.input)
            && !axes.contains(&j)
        {
            axes.push(j);
        }
    }
    while axes.len() < 2 {
        axes.push((axes.first().copied().unwrap_or(0) + 1) % m.inputs.len().max(1));
    }
    let (xi, yi) = (axes[0], axes[1]);
    let mut page = Page::new(DISCOVERY_W);
    let subtitle = if d.limits.is_empty() {
        d.words.clone()
    } else {
        format!("{}.", capitalise(&d.words))
    };
    let top = page.heading(
        &format!("When is it likely that {}?", d.question),
        &subtitle,
    );
    let (left, right) = (90.0, 230.0);
    let plot_w = DISCOVERY_W - left - right;
    let plot_h = 380.0;
    let bottom = top + plot_h;
    let span = |j: usize| (m.inputs[j].def.low, m.inputs[j].def.high);
    let (xl, xh) = span(xi);
    let (yl, yh) = span(yi);
    let px = |v: f64| left + plot_w * (v - xl) / (xh - xl);
    let py = |v: f64| bottom - plot_h * (v - yl) / (yh - yl);
    page.rect(left, top, plot_w, plot_h, "white", "#000", "");
    for t in 0..=4 {
        let f = t as f64 / 4.0;
        let (vx, vy) = (xl + f * (xh - xl), yl + f * (yh - yl));
        page.line(px(vx), bottom, px(vx), bottom + 5.0, "#000", 1.0, "");
        page.text(
            px(vx),
            bottom + 18.0,
            &m.show(xi, vx),
            "middle",
            11.0,
            "#000",
        );
        page.line(left - 5.0, py(vy), left, py(vy), "#000", 1.0, "");
        page.text(
            left - 8.0,
            py(vy) + 4.0,
            &m.show(yi, vy),
            "end",
            11.0,
            "#000",
        );
    }
    page.text(
        left + plot_w / 2.0,
        bottom + 36.0,
        &m.inputs[xi].def.name,
        "middle",
        12.0,
        "#000",
    );
    page.text(
        20.0,
        top - 6.0,
        &m.inputs[yi].def.name,
        "start",
        12.0,
        "#000",
    );
    // The box: the restricted inputs' bounds, the others open.
    if !d.limits.is_empty() {
        let bound = |j: usize, lo: bool| {
            d.limits
                .iter()
                .find(|l| index(&l.input) == Some(j))
                .and_then(|l| if lo { l.at_least } else { l.at_most })
                .unwrap_or(if lo { span(j).0 } else { span(j).1 })
        };
        let (x0, x1) = (px(bound(xi, true)), px(bound(xi, false)));
        let (y0, y1) = (py(bound(yi, false)), py(bound(yi, true)));
        page.rect(x0, y0, x1 - x0, y1 - y0, "#eee", "#000", DASHES[1]);
    }
    // Each design point: how many of its seeds the question holds in.
    let start = m.start_time();
    let mut per_point = vec![(0usize, 0usize); m.design.len()];
    for r in rows {
        let p = m.point_of(r.run);
        per_point[p].0 += 1;
        per_point[p].1 += usize::from(q.holds(r.outcomes[k], start));
    }
    for (p, (n, h)) in per_point.iter().enumerate() {
        if *n == 0 {
            continue;
        }
        let marker = if 2 * h > *n {
            Marker::FilledCircle
        } else if *h > 0 {
            Marker::OpenCircle
        } else {
            Marker::Cross
        };
        page.marker(
            marker,
            px(m.design[p][xi]),
            py(m.design[p][yi]),
            4.0,
            "#000",
        );
    }
    let lx = left + plot_w + 20.0;
    let legend = [
        (Marker::FilledCircle, "holds in most of its seeds"),
        (Marker::OpenCircle, "holds in some"),
        (Marker::Cross, "holds in none"),
    ];
    page.text(
        lx,
        top + 12.0,
        "Each mark: a design point",
        "start",
        11.0,
        "#000",
    );
    for (i, (mk, t)) in legend.iter().enumerate() {
        let y = top + 34.0 + 20.0 * i as f64;
        page.marker(*mk, lx + 6.0, y - 4.0, 4.0, "#000");
        page.text(lx + 18.0, y, t, "start", 11.0, "#000");
    }
    if !d.limits.is_empty() {
        let y = top + 34.0 + 20.0 * 3.0;
        page.rect(lx, y - 10.0, 14.0, 10.0, "#eee", "#000", DASHES[1]);
        page.text(lx + 18.0, y, "the box", "start", 11.0, "#000");
    }
    let mut notes = Vec::new();
    if let (Some(i), Some(o)) = (d.inside_share_95, d.outside_share_95) {
        notes.push(format!(
            "95 % intervals (Wilson): inside the box {:.0}–{:.0} %, outside {:.0}–{:.0} %.",
            100.0 * i[0],
            100.0 * i[1],
            100.0 * o[0],
            100.0 * o[1]
        ));
    }
    if !hidden.is_empty() {
        let shown: Vec<BoxLimit> = hidden.into_iter().cloned().collect();
        notes.push(format!(
            "The box also holds {}, which is not drawn: a mark inside the drawn box may lie outside it.",
            box_words(m, &shown)
        ));
    }
    notes.push(format!(
        "Found by PRIM over {} runs (peeled on half the design points, checked on the other half); inputs outside the box's words are free over their whole ranges.",
        d.runs
    ));
    let end = page.footer(bottom + 48.0, &notes);
    page.finish(end)
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// A file name from an outcome's label: lowercase letters, digits and underscores.
pub fn slug(label: &str) -> String {
    let mut s: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    s.trim_matches('_').to_string()
}

/// A capture time in hours from the start, as a date.
pub fn show_capture(m: &SweepManifest, hours: f64) -> String {
    if hours.is_infinite() {
        "never".into()
    } else {
        display_local(m.start_time() + chrono::Duration::minutes((hours * 60.0).round() as i64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_becomes_a_file_name() {
        assert_eq!(
            slug("tank_army_km:1945-08-15T12:01"),
            "tank_army_km_1945_08_15t12_01"
        );
        assert_eq!(slug("captured:Mukden"), "captured_mukden");
    }
}
