//! A small SVG writer that lays itself out: text is measured (by a width per character for
//! the sans-serif face, on the wide side) so that titles and footers wrap inside the page and
//! margins grow to hold the longest label, rather than being cut off at the edges. Marks come
//! in shapes and dash patterns as well as shades, so every plot reads in black and white.

use std::fmt::Write;

/// Width of a character of sans-serif text as a share of its size: an upper bound for
/// ordinary text (capitals and digits run ~0.6), so that measured text never overflows.
const CHAR_WIDTH: f64 = 0.6;

/// The width `t` takes at `size`.
pub fn text_width(t: &str, size: f64) -> f64 {
    t.chars().count() as f64 * size * CHAR_WIDTH
}

/// `t` broken into lines no wider than `width` at `size`, at spaces.
pub fn wrap(t: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in t.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size) > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Marker shapes, told apart without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    FilledCircle,
    OpenCircle,
    Cross,
    OpenSquare,
    FilledTriangle,
    OpenDiamond,
}

/// Dash patterns for lines, in order of use.
pub const DASHES: [&str; 6] = ["", "6 3", "2 2", "8 3 2 3", "1 3", "10 2"];
/// Marker shapes for series, in order of use.
pub const MARKERS: [Marker; 6] = [
    Marker::FilledCircle,
    Marker::OpenSquare,
    Marker::FilledTriangle,
    Marker::OpenCircle,
    Marker::Cross,
    Marker::OpenDiamond,
];

/// An SVG document under construction, `width` wide; its height is set when it is finished.
pub struct Page {
    pub width: f64,
    body: String,
    defs: String,
}

impl Page {
    pub fn new(width: f64) -> Self {
        Self {
            width,
            body: String::new(),
            defs: String::new(),
        }
    }

    /// A title (and under it a subtitle), wrapped to the page; returns the y below them.
    pub fn heading(&mut self, title: &str, subtitle: &str) -> f64 {
        let mut y = 10.0;
        for line in wrap(title, 15.0, self.width - 40.0) {
            y += 19.0;
            self.text(self.width / 2.0, y, &line, "middle", 15.0, "#000");
        }
        for line in wrap(subtitle, 11.0, self.width - 40.0) {
            y += 15.0;
            self.text(self.width / 2.0, y, &line, "middle", 11.0, "#333");
        }
        y + 12.0
    }

    /// Notes under a plot, wrapped, from `y`; returns the y below them.
    pub fn footer(&mut self, y: f64, notes: &[String]) -> f64 {
        let mut y = y;
        for note in notes {
            for line in wrap(note, 10.0, self.width - 40.0) {
                y += 13.0;
                self.text(20.0, y, &line, "start", 10.0, "#333");
            }
        }
        y + 10.0
    }

    pub fn text(&mut self, x: f64, y: f64, t: &str, anchor: &str, size: f64, fill: &str) {
        let _ = writeln!(
            self.body,
            r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" font-size="{size}" fill="{fill}">{}</text>"#,
            escape(t)
        );
    }

    pub fn line(
        &mut self,
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        stroke: &str,
        width: f64,
        dash: &str,
    ) {
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(r#" stroke-dasharray="{dash}""#)
        };
        let _ = writeln!(
            self.body,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{stroke}" stroke-width="{width}"{dash}/>"#
        );
    }

    /// A rectangle; `fill` may be `url(#hatch)` for the hatching of [`Page::hatching`].
    #[allow(clippy::too_many_arguments)]
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, stroke: &str, dash: &str) {
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(r#" stroke-dasharray="{dash}""#)
        };
        let _ = writeln!(
            self.body,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{fill}" stroke="{stroke}"{dash}/>"#,
            w.max(0.5),
            h.max(0.0)
        );
    }

    /// Defines diagonal hatching, for bars that must differ from solid ones in print.
    pub fn hatching(&mut self) {
        if self.defs.contains("hatch") {
            return;
        }
        self.defs.push_str(
            r##"<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="white"/><line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="2"/></pattern>
"##,
        );
    }

    pub fn polyline(&mut self, pts: &[(f64, f64)], stroke: &str, width: f64, dash: &str) {
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(r#" stroke-dasharray="{dash}""#)
        };
        let _ = writeln!(
            self.body,
            r#"<polyline points="{}" fill="none" stroke="{stroke}" stroke-width="{width}"{dash}/>"#,
            points(pts)
        );
    }

    pub fn polygon(&mut self, pts: &[(f64, f64)], fill: &str, opacity: f64) {
        let _ = writeln!(
            self.body,
            r#"<polygon points="{}" fill="{fill}" fill-opacity="{opacity}" stroke="none"/>"#,
            points(pts)
        );
    }

    pub fn marker(&mut self, m: Marker, x: f64, y: f64, r: f64, ink: &str) {
        let _ = match m {
            Marker::FilledCircle => writeln!(
                self.body,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{ink}" stroke="{ink}"/>"#
            ),
            Marker::OpenCircle => writeln!(
                self.body,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="white" stroke="{ink}" stroke-width="1.3"/>"#
            ),
            Marker::Cross => writeln!(
                self.body,
                r#"<path d="M{:.1},{:.1}L{:.1},{:.1}M{:.1},{:.1}L{:.1},{:.1}" stroke="{ink}" stroke-width="1.3"/>"#,
                x - r,
                y - r,
                x + r,
                y + r,
                x - r,
                y + r,
                x + r,
                y - r
            ),
            Marker::OpenSquare => writeln!(
                self.body,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="white" stroke="{ink}" stroke-width="1.3"/>"#,
                x - r,
                y - r,
                2.0 * r,
                2.0 * r
            ),
            Marker::FilledTriangle => writeln!(
                self.body,
                r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{ink}"/>"#,
                x,
                y - r * 1.2,
                x - r * 1.1,
                y + r * 0.8,
                x + r * 1.1,
                y + r * 0.8
            ),
            Marker::OpenDiamond => writeln!(
                self.body,
                r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="white" stroke="{ink}" stroke-width="1.3"/>"#,
                x,
                y - r * 1.3,
                x + r * 1.3,
                y,
                x,
                y + r * 1.3,
                x - r * 1.3,
                y
            ),
        };
    }

    /// The document, `height` high.
    pub fn finish(self, height: f64) -> String {
        let defs = if self.defs.is_empty() {
            String::new()
        } else {
            format!("<defs>\n{}</defs>\n", self.defs)
        };
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h:.0}\" viewBox=\"0 0 {w} {h:.0}\" font-family=\"sans-serif\">\n{defs}<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{}</svg>\n",
            self.body,
            w = self.width,
            h = height.ceil()
        )
    }
}

fn points(pts: &[(f64, f64)]) -> String {
    pts.iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_title_wraps_inside_the_page() {
        let t = "Mukden is taken after 25 Aug, 00:00 or never: when transports at most 118 and the rains begin at least 12 hours later than in 1945";
        let lines = wrap(t, 15.0, 500.0);
        assert!(lines.len() > 1);
        assert!(
            lines.iter().all(|l| text_width(l, 15.0) <= 500.0),
            "{lines:?}"
        );
        assert_eq!(lines.join(" "), t);
    }
}
