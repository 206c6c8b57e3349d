//! `august-storm map`: the map as text, one character a hex, for checking a map file by eye.

use std::path::Path;
use std::process::ExitCode;

use super::print_diagnostics;
use crate::model::map::{Map, TerrainKind};
use crate::scenario::load::load_map;

pub fn run(path: &Path) -> ExitCode {
    match load_map(path) {
        Ok((map, warnings)) => {
            print_diagnostics(&warnings);
            print!("{}", render(&map));
            ExitCode::SUCCESS
        }
        Err(d) => {
            print_diagnostics(&d);
            ExitCode::FAILURE
        }
    }
}

fn terrain_char(t: TerrainKind) -> char {
    match t {
        TerrainKind::Steppe => '.',
        TerrainKind::SandDesert => ':',
        TerrainKind::Farmland => ',',
        TerrainKind::Hills => 'n',
        TerrainKind::ForestedHills => 'f',
        TerrainKind::Mountains => 'M',
        TerrainKind::Taiga => 't',
        TerrainKind::Marsh => '_',
        TerrainKind::Lake => 'o',
        TerrainKind::Sea => '~',
    }
}

/// North at the top; odd rows are shifted half a hex east. Places show as `*`, fortified
/// hexes as `#`, passes as `^`, hexes on a railway as `=` when nothing else stands there.
pub fn render(map: &Map) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{} — {} × {} hexes of {} km. Key: . steppe  : sand  , farmland  n hills  f forested hills  M mountains  t taiga  _ marsh  o lake  ~ sea  * place  # fortified  ^ pass  = railway\n",
        map.name,
        map.cols,
        map.rows,
        map.hex_km()
    ));
    for row in (0..map.rows).rev() {
        if row % 2 == 1 {
            out.push(' ');
        }
        for col in 0..map.cols {
            let h = crate::model::Hex::from_offset(col, row);
            let c = map.cell(h).expect("in range");
            let ch = if c.place.is_some() {
                '*'
            } else if c.fort_level > 0 {
                '#'
            } else if c.pass {
                '^'
            } else if c.edges.iter().any(|e| e.rail.is_some())
                && !matches!(c.terrain, TerrainKind::Sea)
            {
                '='
            } else {
                terrain_char(c.terrain)
            };
            out.push(ch);
            out.push(' ');
        }
        out.push('\n');
    }
    out.push_str("places:\n");
    for p in &map.places {
        let (c, r) = p.hex.to_offset();
        out.push_str(&format!("  {:<16} hex {c},{r}\n", p.name));
    }
    out
}
