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

impl FieldPath {
    /// Parses a path; the error says what was expected at which character.
    pub fn parse(text: &str) -> Result<Self, String> {
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        let mut segments = Vec::new();
        let at = |i: usize| format!("at character {}", i + 1);
        let skip_ws = |i: &mut usize| {
            while *i < chars.len() && chars[*i].is_whitespace() {
                *i += 1;
            }
        };
        let word = |i: &mut usize| -> String {
            let s = *i;
            while *i < chars.len() && is_ident(chars[*i]) {
                *i += 1;
            }
            chars[s..*i].iter().collect()
        };
        let quoted = |i: &mut usize| -> Result<String, String> {
            let q = chars[*i];
            *i += 1;
            let s = *i;
            while *i < chars.len() && chars[*i] != q {
                *i += 1;
            }
            if *i == chars.len() {
                return Err(format!("the quotation {} is not closed", at(s - 1)));
            }
            let v: String = chars[s..*i].iter().collect();
            *i += 1;
            Ok(v)
        };
        if chars.is_empty() {
            return Err("the path is empty: name a field, e.g. `transport_aircraft`".into());
        }
        loop {
            skip_ws(&mut i);
            if i == chars.len() {
                break;
            }
            match chars[i] {
                '.' if !segments.is_empty() => {
                    i += 1;
                    skip_ws(&mut i);
                    let w = word(&mut i);
                    if w.is_empty() {
                        return Err(format!("expected a field name after `.` {}", at(i)));
                    }
                    segments.push(Segment::Field(w));
                }
                '[' => {
                    i += 1;
                    skip_ws(&mut i);
                    let sel = match chars.get(i) {
                        Some('*') => {
                            i += 1;
                            Selector::All
                        }
                        Some('\'' | '"') => Selector::Named(quoted(&mut i)?),
                        Some(c) if c.is_ascii_digit() => {
                            let w = word(&mut i);
                            Selector::Index(w.parse().map_err(|_| {
                                format!("`{w}` is not a position in a list {}", at(i))
                            })?)
                        }
                        Some(c) if is_ident(*c) => {
                            let field = word(&mut i);
                            skip_ws(&mut i);
                            if chars.get(i) != Some(&'=') {
                                return Err(format!(
                                    "expected `=` after `[{field}` {}: select entries as [2], ['name'], [field = value] or [*]",
                                    at(i)
                                ));
                            }
                            i += 1;
                            skip_ws(&mut i);
                            let value = match chars.get(i) {
                                Some('\'' | '"') => quoted(&mut i)?,
                                _ => word(&mut i),
                            };
                            if value.is_empty() {
                                return Err(format!("expected a value after `=` {}", at(i)));
                            }
                            Selector::Where(field, value)
                        }
                        _ => {
                            return Err(format!(
                                "expected a selector {}: [2], ['name'], [field = value] or [*]",
                                at(i)
                            ));
                        }
                    };
                    skip_ws(&mut i);
                    if chars.get(i) != Some(&']') {
                        return Err(format!("expected `]` {}", at(i)));
                    }
                    i += 1;
                    segments.push(Segment::Select(sel));
                }
                c if is_ident(c) && segments.is_empty() => {
                    segments.push(Segment::Field(word(&mut i)));
                }
                c => {
                    return Err(format!(
                        "unexpected `{c}` {}: expected `.field` or a selector in brackets",
                        at(i)
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
                    Segment::Select(sel) => {
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
                                    let names: Vec<&str> =
                                        list.iter().filter_map(entry_name).collect();
                                    match closest(name, names.iter().copied()) {
                                        Some(c) => format!(
                                            "{shown} has no entry named '{name}'; did you mean '{c}'?"
                                        ),
                                        None => format!("{shown} has no entry named '{name}'"),
                                    }
                                }
                                Selector::Where(f, val) => {
                                    format!("no entry of {shown} has {f} = {val}")
                                }
                                Selector::All => format!("{shown} is an empty list"),
                            });
                        }
                    }
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
        let mut kind = None;
        for (_, v) in &here {
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
        let kind = kind.ok_or_else(|| format!("`{}` names nothing", self.text))?;
        Ok((here.into_iter().map(|(p, _)| p).collect(), kind))
    }
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
