//! Figures of a data file named by path, such as `formations['12th Air Army'].transport_aircraft`
//! or `weather[*].from`: found in the file's value as the loader parses it, and changed there.
//!
//! A path is a chain of field names and list selectors. A selector picks list entries by
//! position (`[2]`), by name (`['6th Guards Tank Army']`: the entry whose `name`, `id` or
//! `formation` is that), by any field's value (`[nation = Japanese]`), or all of them (`[*]`).
//! A path that picks several entries names a figure in each of them.

use chrono::Duration;
use serde_json::Value;

use super::diag::{closest, figure};
use crate::model::time::parse_local;

/// The fields an entry of a list is known by, in the order they are tried.
pub const NAME_FIELDS: [&str; 3] = ["name", "id", "formation"];

/// One list selector.
#[derive(Debug, Clone, PartialEq)]
pub enum Selector {
    Index(usize),
    Named(String),
    Where(String, String),
    All,
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Field(String),
    Select(Selector),
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPath {
    pub text: String,
    segments: Vec<Segment>,
}

/// What kind of figure a path ends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FigureKind {
    /// A count: set values are rounded to whole numbers.
    Whole,
    /// A number with a fraction.
    Fraction,
    /// A local date and time, changed by hours.
    Date,
}

impl FigureKind {
    pub fn describe(self) -> &'static str {
        match self {
            FigureKind::Whole => "a whole number",
            FigureKind::Fraction => "a number",
            FigureKind::Date => "a date and time",
        }
    }
}

/// How an input's value changes the figures it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Change {
    /// The figure becomes the value.
    Set,
    /// The figure is multiplied by the value (each figure its own, where the path names
    /// several).
    Scale,
    /// The value is added to the figure; for a date, the value is in hours.
    Shift,
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Where a character of a path is, in words.
fn at(i: usize) -> String {
    format!("at character {}", i + 1)
}

/// A path's characters and the parser's place in them.
struct Cursor {
    chars: Vec<char>,
    i: usize,
}

impl Cursor {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while self.i < self.chars.len() && self.chars[self.i].is_whitespace() {
            self.i += 1;
        }
    }

    fn word(&mut self) -> String {
        let s = self.i;
        while self.i < self.chars.len() && is_ident(self.chars[self.i]) {
            self.i += 1;
        }
        self.chars[s..self.i].iter().collect()
    }

    fn quoted(&mut self) -> Result<String, String> {
        let q = self.chars[self.i];
        self.i += 1;
        let s = self.i;
        while self.i < self.chars.len() && self.chars[self.i] != q {
            self.i += 1;
        }
        if self.i == self.chars.len() {
            return Err(format!("the quotation {} is not closed", at(s - 1)));
        }
        let v: String = self.chars[s..self.i].iter().collect();
        self.i += 1;
        Ok(v)
    }

    /// A selector, after its `[` up to and including its `]`: `*`, a position, a quoted
    /// name or `field = value`.
    fn selector(&mut self) -> Result<Selector, String> {
        self.skip_ws();
        let sel = match self.peek() {
            Some('*') => {
                self.i += 1;
                Selector::All
            }
            Some('\'' | '"') => Selector::Named(self.quoted()?),
            Some(c) if c.is_ascii_digit() => {
                let w = self.word();
                Selector::Index(
                    w.parse()
                        .map_err(|_| format!("`{w}` is not a position in a list {}", at(self.i)))?,
                )
            }
            Some(c) if is_ident(c) => {
                let field = self.word();
                self.skip_ws();
                if self.peek() != Some('=') {
                    return Err(format!(
                        "expected `=` after `[{field}` {}: select entries as [2], ['name'], [field = value] or [*]",
                        at(self.i)
                    ));
                }
                self.i += 1;
                self.skip_ws();
                let value = match self.peek() {
                    Some('\'' | '"') => self.quoted()?,
                    _ => self.word(),
                };
                if value.is_empty() {
                    return Err(format!("expected a value after `=` {}", at(self.i)));
                }
                Selector::Where(field, value)
            }
            _ => {
                return Err(format!(
                    "expected a selector {}: [2], ['name'], [field = value] or [*]",
                    at(self.i)
                ));
            }
        };
        self.skip_ws();
        if self.peek() != Some(']') {
            return Err(format!("expected `]` {}", at(self.i)));
        }
        self.i += 1;
        Ok(sel)
    }
}

impl FieldPath {
    /// Parses a path; the error says what was expected at which character.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut c = Cursor {
            chars: text.chars().collect(),
            i: 0,
        };
        let mut segments = Vec::new();
        if c.chars.is_empty() {
            return Err("the path is empty: name a field, e.g. `transport_aircraft`".into());
        }
        loop {
            c.skip_ws();
            let Some(next) = c.peek() else {
                break;
            };
            match next {
                '.' if !segments.is_empty() => {
                    c.i += 1;
                    c.skip_ws();
                    let w = c.word();
                    if w.is_empty() {
                        return Err(format!("expected a field name after `.` {}", at(c.i)));
                    }
                    segments.push(Segment::Field(w));
                }
                '[' => {
                    c.i += 1;
                    segments.push(Segment::Select(c.selector()?));
                }
                ch if is_ident(ch) && segments.is_empty() => {
                    segments.push(Segment::Field(c.word()));
                }
                ch => {
                    return Err(format!(
                        "unexpected `{ch}` {}: expected `.field` or a selector in brackets",
                        at(c.i)
                    ));
                }
            }
        }
        Ok(Self {
            text: text.to_string(),
            segments,
        })
    }

    /// The figures the path names in `root`, as JSON pointers, with their kind; an error
    /// says where the path stops naming anything and what was there instead.
    pub fn resolve(&self, root: &Value) -> Result<(Vec<String>, FigureKind), String> {
        let mut here: Vec<(String, &Value)> = vec![(String::new(), root)];
        let mut walked = String::new();
        for seg in &self.segments {
            let mut next = Vec::new();
            let shown = if walked.is_empty() {
                "the file".to_string()
            } else {
                format!("`{walked}`")
            };
            for (ptr, v) in &here {
                match seg {
                    Segment::Field(name) => {
                        let Value::Object(map) = v else {
                            return Err(format!(
                                "{shown} is {}, which has no field `{name}`",
                                what_is(v)
                            ));
                        };
                        // An enum written as a variant holding a value (`Refills(1.5)`)
                        // is one key, the variant.
                        match map.get(name) {
                            Some(x) => next.push((format!("{ptr}/{}", escape(name)), x)),
                            None => {
                                let keys = map.keys().map(String::as_str);
                                let hint = match closest(name, keys) {
                                    Some(c) => format!("did you mean `{c}`?"),
                                    None => format!(
                                        "its fields are: {}",
                                        map.keys().cloned().collect::<Vec<_>>().join(", ")
                                    ),
                                };
                                return Err(format!("{shown} has no field `{name}`; {hint}"));
                            }
                        }
                    }
                    Segment::Select(sel) => select(sel, &shown, ptr, v, &mut next)?,
                }
            }
            walked.push_str(&match seg {
                Segment::Field(n) if walked.is_empty() => n.clone(),
                Segment::Field(n) => format!(".{n}"),
                Segment::Select(Selector::Index(n)) => format!("[{n}]"),
                Segment::Select(Selector::Named(n)) => format!("['{n}']"),
                Segment::Select(Selector::Where(f, v)) => format!("[{f} = {v}]"),
                Segment::Select(Selector::All) => "[*]".into(),
            });
            here = next;
        }
        let kind = self.kind_of(&here)?;
        Ok((here.into_iter().map(|(p, _)| p).collect(), kind))
    }

    /// The kind of figure the values a path names hold: numbers (fractions where any is)
    /// or dates, never both.
    fn kind_of(&self, here: &[(String, &Value)]) -> Result<FigureKind, String> {
        let mut kind = None;
        for (_, v) in here {
            let k = match v {
                Value::Number(n) if n.is_f64() => FigureKind::Fraction,
                Value::Number(_) => FigureKind::Whole,
                Value::String(s) if parse_local(s).is_some() => FigureKind::Date,
                other => {
                    return Err(format!(
                        "`{}` is {}, not a figure: name a number or a date",
                        self.text,
                        what_is(other)
                    ));
                }
            };
            // A list of mixed counts and fractions is swept as fractions.
            kind = Some(match (kind, k) {
                (None, k) => k,
                (Some(a), b) if a == b => a,
                (Some(FigureKind::Whole), FigureKind::Fraction)
                | (Some(FigureKind::Fraction), FigureKind::Whole) => FigureKind::Fraction,
                _ => {
                    return Err(format!(
                        "`{}` names both dates and numbers: sweep them as separate inputs",
                        self.text
                    ));
                }
            });
        }
        kind.ok_or_else(|| format!("`{}` names nothing", self.text))
    }
}

/// The entries of the list `v` (at `ptr`, shown as `shown`) that a selector picks, added to
/// `next`; a selector that picks none says what the list holds instead.
fn select<'v>(
    sel: &Selector,
    shown: &str,
    ptr: &str,
    v: &'v Value,
    next: &mut Vec<(String, &'v Value)>,
) -> Result<(), String> {
    let Value::Array(list) = v else {
        return Err(format!(
            "{shown} is {}, not a list, so it has no entries to select",
            what_is(v)
        ));
    };
    let before = next.len();
    for (k, x) in list.iter().enumerate() {
        let take = match sel {
            Selector::All => true,
            Selector::Index(n) => k == *n,
            Selector::Named(name) => entry_name(x) == Some(name.as_str()),
            Selector::Where(f, val) => x.get(f).is_some_and(|y| match y {
                Value::String(s) => s == val,
                Value::Number(n) => n.to_string() == *val,
                Value::Bool(b) => b.to_string() == *val,
                _ => false,
            }),
        };
        if take {
            next.push((format!("{ptr}/{k}"), x));
        }
    }
    if next.len() == before {
        return Err(match sel {
            Selector::Index(n) => format!(
                "{shown} has {} entries, so there is no entry [{n}] (positions count from 0)",
                list.len()
            ),
            Selector::Named(name) => {
                let names: Vec<&str> = list.iter().filter_map(entry_name).collect();
                match closest(name, names.iter().copied()) {
                    Some(c) => format!("{shown} has no entry named '{name}'; did you mean '{c}'?"),
                    None => format!("{shown} has no entry named '{name}'"),
                }
            }
            Selector::Where(f, val) => {
                format!("no entry of {shown} has {f} = {val}")
            }
            Selector::All => format!("{shown} is an empty list"),
        });
    }
    Ok(())
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// What a value is, in words, for a message.
fn what_is(v: &Value) -> String {
    match v {
        Value::Null => "empty (None)".into(),
        Value::Bool(b) => format!("a yes/no ({b})"),
        Value::Number(n) => format!("a number ({n})"),
        Value::String(s) => format!("text (\"{s}\")"),
        Value::Array(a) => format!("a list of {} entries", a.len()),
        Value::Object(_) => "a group of fields".into(),
    }
}

/// The name an entry of a list is known by.
pub fn entry_name(v: &Value) -> Option<&str> {
    NAME_FIELDS
        .iter()
        .find_map(|f| v.get(f).and_then(Value::as_str))
}

/// Sets each figure at `pointers` by `change` with `value`; whole numbers are rounded.
/// The figures must be of the kind [`FieldPath::resolve`] found.
pub fn apply(
    root: &mut Value,
    pointers: &[String],
    change: Change,
    value: f64,
) -> Result<(), String> {
    for p in pointers {
        let Some(slot) = root.pointer_mut(p) else {
            return Err(format!("nothing at {p}"));
        };
        let new = match (&*slot, change) {
            (Value::String(s), Change::Shift) => {
                let t = parse_local(s).ok_or_else(|| format!("\"{s}\" is not a date"))?;
                let minutes = (value * 60.0).round() as i64;
                let t = t + Duration::minutes(minutes);
                Value::String(t.format("%Y-%m-%dT%H:%M").to_string())
            }
            (Value::String(_), _) => {
                return Err(
                    "a date is swept with Shift, by hours earlier (below 0) or later".into(),
                );
            }
            (Value::Number(n), change) => {
                let base = n.as_f64().unwrap_or(0.0);
                let v = match change {
                    Change::Set => value,
                    Change::Scale => base * value,
                    Change::Shift => base + value,
                };
                if n.is_f64() {
                    serde_json::Number::from_f64(v)
                        .map(Value::Number)
                        .ok_or_else(|| format!("{} is not a figure", figure(v)))?
                } else {
                    let r = v.round();
                    if n.is_u64() && r >= 0.0 {
                        Value::from(r as u64)
                    } else {
                        Value::from(r as i64)
                    }
                }
            }
            (other, _) => return Err(format!("{} is not a figure", what_is(other))),
        };
        *slot = new;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "formations": [
                {"name": "12th Air Army", "nation": "Soviet", "transport_aircraft": 180},
                {"name": "Kwantung Army", "nation": "Japanese", "transport_aircraft": 0},
            ],
            "units": [
                {"name": "a", "nation": "Japanese", "readiness": 0.4, "fuel": {"Refills": 1.5}},
                {"name": "b", "nation": "Japanese", "readiness": 0.6, "fuel": {"Tons": 10.0}},
                {"name": "c", "nation": "Soviet", "readiness": 0.9, "fuel": {"Tons": 3.0}},
            ],
            "weather": [{"name": "rains", "from": "1945-08-11T00:00"}],
            "truck_pools": [{"formation": "6th Guards Tank Army", "trucks": 400}],
            "description": "text",
        })
    }

    fn set(path: &str, change: Change, v: f64) -> Result<Value, String> {
        let mut d = doc();
        let (ptrs, _) = FieldPath::parse(path)?.resolve(&d)?;
        apply(&mut d, &ptrs, change, v)?;
        Ok(d)
    }

    #[test]
    fn an_entry_is_found_by_its_name_or_formation_and_a_count_is_rounded() {
        let d = set(
            "formations['12th Air Army'].transport_aircraft",
            Change::Set,
            96.6,
        )
        .unwrap();
        assert_eq!(d["formations"][0]["transport_aircraft"], json!(97));
        let d = set(
            "truck_pools[\"6th Guards Tank Army\"].trucks",
            Change::Scale,
            0.5,
        )
        .unwrap();
        assert_eq!(d["truck_pools"][0]["trucks"], json!(200));
    }

    #[test]
    fn a_filter_names_a_figure_in_every_matching_entry() {
        let d = set("units[nation = Japanese].readiness", Change::Set, 0.8).unwrap();
        assert_eq!(d["units"][0]["readiness"], json!(0.8));
        assert_eq!(d["units"][1]["readiness"], json!(0.8));
        assert_eq!(d["units"][2]["readiness"], json!(0.9));
        let d = set("units[*].readiness", Change::Scale, 0.5).unwrap();
        assert_eq!(d["units"][2]["readiness"], json!(0.45));
    }

    #[test]
    fn a_date_is_shifted_by_hours_and_cannot_be_set() {
        let d = set("weather[0].from", Change::Shift, -36.0).unwrap();
        assert_eq!(d["weather"][0]["from"], json!("1945-08-09T12:00"));
        let e = set("weather[0].from", Change::Set, 3.0).unwrap_err();
        assert!(e.contains("Shift"), "{e}");
    }

    #[test]
    fn a_path_that_names_nothing_says_where_it_stops_and_what_is_there() {
        let e = set("formations['12th Air Amry'].aircraft", Change::Set, 1.0).unwrap_err();
        assert!(e.contains("no entry named '12th Air Amry'"), "{e}");
        assert!(e.contains("did you mean '12th Air Army'"), "{e}");
        let e = set("formations[0].transport_aircaft", Change::Set, 1.0).unwrap_err();
        assert!(e.contains("did you mean `transport_aircraft`"), "{e}");
        let e = set("formations[5].aircraft", Change::Set, 1.0).unwrap_err();
        assert!(e.contains("has 2 entries"), "{e}");
        let e = set("description", Change::Set, 1.0).unwrap_err();
        assert!(e.contains("not a figure"), "{e}");
        let e = set("units[0].fuel", Change::Set, 1.0).unwrap_err();
        assert!(e.contains("not a figure"), "{e}");
        let e = FieldPath::parse("units[0.fuel").unwrap_err();
        assert!(e.contains("expected `]`"), "{e}");
    }

    #[test]
    fn a_quantity_written_as_a_variant_is_reached_through_the_variant() {
        let d = set("units['a'].fuel.Refills", Change::Set, 2.0).unwrap();
        assert_eq!(d["units"][0]["fuel"]["Refills"], json!(2.0));
    }
}
