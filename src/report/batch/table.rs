//! The runs table, `runs.csv`: its header, a writer that appends rows as runs finish, and
//! readers that check and parse what is there.

use std::io::{BufRead, Read, Write};

use crate::model::time::{iso_local, parse_local};

use super::*;

/// The header of `runs.csv`: seed, a capture column per place followed, the numbers, then the
/// per-turn series (space-separated values, one per turn).
pub fn csv_header(m: &Manifest) -> Vec<String> {
    let mut h = vec!["seed".to_string()];
    h.extend(m.places.iter().map(|p| format!("captured:{p}")));
    h.extend(m.works.iter().map(|p| format!("works_taken:{p}")));
    for w in &m.weather {
        h.push(format!("weather_from:{w}"));
        h.push(format!("weather_to:{w}"));
    }
    h.extend(NUMBERS.iter().map(|s| s.to_string()));
    h.push("tank_army_refills".into());
    h.push("tank_army_km".into());
    h.extend(m.fronts.iter().map(|f| format!("advance_km:{f}")));
    for f in &m.marches {
        h.push(format!("march_km:{f}"));
        h.push(format!("refills:{f}"));
    }
    h
}

fn series_text(v: &[f64]) -> String {
    v.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes `runs.csv` row by row, as runs finish.
pub struct RunsWriter<W: Write> {
    csv: csv::Writer<W>,
}

impl<W: Write> RunsWriter<W> {
    pub fn new(out: W, m: &Manifest) -> csv::Result<Self> {
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(csv_header(m))?;
        Ok(Self { csv })
    }

    /// Goes on writing rows after those already in `out` (a resumed batch): no header.
    pub fn append(out: W) -> Self {
        Self {
            csv: csv::Writer::from_writer(out),
        }
    }

    pub fn write(&mut self, r: &RunRow) -> csv::Result<()> {
        let mut rec = vec![r.seed.to_string()];
        rec.extend(
            r.captured
                .iter()
                .chain(&r.works_taken)
                .map(|c| c.map(iso_local).unwrap_or_default()),
        );
        for span in &r.weather {
            rec.push(span.map(|s| iso_local(s.0)).unwrap_or_default());
            rec.push(span.map(|s| iso_local(s.1)).unwrap_or_default());
        }
        rec.extend(NUMBERS.iter().map(|c| {
            let x = r.number(c).expect("every listed column has a number");
            x.to_string()
        }));
        rec.push(series_text(&r.tank_army_refills));
        rec.push(series_text(&r.tank_army_km));
        rec.extend(r.advance_km.iter().map(|s| series_text(s)));
        for march in &r.marches {
            rec.push(series_text(&march.km));
            rec.push(series_text(&march.refills));
        }
        self.csv.write_record(rec)?;
        // Flushed row by row: a batch stopped half-way keeps every row it finished.
        self.csv.flush()?;
        Ok(())
    }
}

/// How far a `runs.csv` agrees with its manifest, read from the top.
#[derive(Debug, Clone, PartialEq)]
pub struct RunsScan {
    /// The rows read: the runs of the manifest's first `runs` seeds, in order.
    pub runs: u64,
    /// The byte just after the last of them: where a resumed batch goes on writing.
    pub end: u64,
    /// Why reading stopped before the end of the file, if it did.
    pub stop: Option<String>,
}

/// Reads `runs.csv` line by line (no field of it holds a line break), checking the header
/// against the manifest and each row's seed against the next seed the manifest lists, and
/// hands each good row to `each`. Stops at the first line that is not the next run (cut
/// short, unreadable, another seed) and says why. An error: the header is not this
/// manifest's.
pub fn scan_runs(
    mut input: impl BufRead,
    m: &Manifest,
    mut each: impl FnMut(RunRow),
) -> Result<RunsScan, String> {
    let header = csv_header(m);
    let mut line = Vec::new();
    let mut end = input
        .read_until(b'\n', &mut line)
        .map_err(|e| e.to_string())? as u64;
    if !line.ends_with(b"\n") || record(&line)? != header {
        return Err("its columns do not match batch.json".into());
    }
    let mut expected = m.seeds.iter();
    let mut runs = 0;
    let mut number = 1;
    let stop = loop {
        line.clear();
        let n = input
            .read_until(b'\n', &mut line)
            .map_err(|e| e.to_string())? as u64;
        number += 1;
        if n == 0 {
            break None;
        }
        if !line.ends_with(b"\n") {
            break Some(format!(
                "line {number} is cut short (the batch was stopped while writing it)"
            ));
        }
        let row = match record(&line).and_then(|rec| parse_row(&rec, &header, m, number)) {
            Ok(r) => r,
            Err(e) => break Some(e),
        };
        match expected.next() {
            Some(s) if s == row.seed => {}
            Some(s) => {
                break Some(format!(
                    "line {number} is the run of seed {}, but batch.json lists seed {s} next",
                    row.seed
                ));
            }
            None => {
                break Some(format!(
                    "line {number} is the run of seed {}, beyond the {} seeds batch.json lists",
                    row.seed,
                    m.seeds.len()
                ));
            }
        }
        each(row);
        runs += 1;
        end += n;
    };
    Ok(RunsScan { runs, end, stop })
}

/// One line of `runs.csv` as fields.
fn record(line: &[u8]) -> Result<Vec<String>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line);
    match rdr.records().next() {
        Some(Ok(r)) => Ok(r.iter().map(String::from).collect()),
        Some(Err(e)) => Err(e.to_string()),
        None => Ok(Vec::new()),
    }
}

/// A row of `runs.csv` (line `line` of the file).
fn parse_row(
    rec: &[String],
    header: &[String],
    m: &Manifest,
    line: usize,
) -> Result<RunRow, String> {
    if rec.len() != header.len() {
        return Err(format!(
            "line {line} has {} columns; the header has {}",
            rec.len(),
            header.len()
        ));
    }
    let np = m.places.len();
    let bad = |what: &str, v: &str| format!("line {line}: {what} \"{v}\" is not readable");
    let int =
        |k: usize| -> Result<u64, String> { rec[k].parse().map_err(|_| bad(&header[k], &rec[k])) };
    let float =
        |k: usize| -> Result<f64, String> { rec[k].parse().map_err(|_| bad(&header[k], &rec[k])) };
    let series = |k: usize| -> Result<Vec<f64>, String> {
        rec[k]
            .split_whitespace()
            .map(|x| x.parse().map_err(|_| bad(&header[k], x)))
            .collect()
    };
    let nw = m.works.len();
    let times = |ks: std::ops::Range<usize>| {
        ks.map(|k| match rec[k].as_str() {
            "" => Ok(None),
            t => parse_local(t).map(Some).ok_or_else(|| bad(&header[k], t)),
        })
        .collect::<Result<Vec<_>, _>>()
    };
    let captured = times(1..1 + np)?;
    let works_taken = times(1 + np..1 + np + nw)?;
    let ns = m.weather.len();
    let spans = times(1 + np + nw..1 + np + nw + 2 * ns)?;
    let weather = spans
        .chunks(2)
        .enumerate()
        .map(|(i, c)| match (c[0], c[1]) {
            (Some(from), Some(to)) => Ok(Some((from, to))),
            (None, None) => Ok(None),
            _ => Err(format!(
                "line {line}: {} and {} are not both given or both empty",
                header[1 + np + nw + 2 * i],
                header[2 + np + nw + 2 * i]
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let n = 1 + np + nw + 2 * ns;
    Ok(RunRow {
        seed: int(0)?,
        captured,
        works_taken,
        weather,
        soviet_killed: int(n)?,
        soviet_wounded: int(n + 1)?,
        soviet_tanks: int(n + 2)?,
        japanese_killed: int(n + 3)?,
        japanese_wounded: int(n + 4)?,
        japanese_prisoners: int(n + 5)?,
        japanese_army_prisoners: int(n + 6)?,
        japanese_unreached: int(n + 7)?,
        japanese_deserted: int(n + 8)?,
        japanese_holding_out: int(n + 9)?,
        fuel_consumed_t: float(n + 10)?,
        fuel_airlifted_t: float(n + 11)?,
        airlift_sorties: int(n + 12)?,
        tank_army_refills: series(n + 13)?,
        tank_army_km: series(n + 14)?,
        advance_km: (0..m.fronts.len())
            .map(|f| series(n + 15 + f))
            .collect::<Result<_, _>>()?,
        marches: (0..m.marches.len())
            .map(|i| {
                let k = n + 15 + m.fronts.len() + 2 * i;
                Ok(March {
                    km: series(k)?,
                    refills: series(k + 1)?,
                })
            })
            .collect::<Result<_, String>>()?,
    })
}

/// Reads `runs.csv` back, checking its columns against the manifest and that it holds the
/// run of every seed the manifest lists, in order, and nothing else.
pub fn read_runs(input: impl Read, m: &Manifest) -> Result<Vec<RunRow>, String> {
    let mut rows = Vec::new();
    let scan = scan_runs(std::io::BufReader::new(input), m, |r| rows.push(r))?;
    if let Some(why) = scan.stop {
        return Err(why);
    }
    if let Some(next) = m.seeds.nth(scan.runs) {
        return Err(format!(
            "it holds {} of the {} runs batch.json lists: the runs from seed {next} on are missing (was the batch stopped half-way? the same batch command run again finishes it)",
            scan.runs,
            m.seeds.len()
        ));
    }
    Ok(rows)
}
