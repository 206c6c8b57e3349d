//! A game opened by one player and accepted by the other.

use std::path::Path;

use crate::model::{Calendar, Side, hex_string as hex};
use crate::scenario::digest::{InputDigest, input_digests};

use super::*;

/// A new game: the first player's key file and the opening record to send.
pub fn open_game(
    scenario_path: &Path,
    scenario_as_named: &str,
    what_ifs: &[String],
    side: Side,
) -> Result<(KeyFile, Record), Refusal> {
    let (scenario, _, _) = crate::scenario::prepare_game(scenario_path, None, what_ifs)
        .map_err(|d| crate::scenario::diag::to_text(&d))?;
    let inputs = input_digests(scenario_path, what_ifs)?;
    let game = hex(&random32()[..16]);
    let key = KeyFile::new(&game, side);
    let cal = Calendar::new(
        scenario.start,
        scenario.end,
        scenario.file.turn_hours,
        scenario.moves_first(),
    );
    let commit = hex(&secret_at(&key.root()?, chain_length(&cal), 0));
    let turn = SignedTurn {
        number: 0,
        game: game.clone(),
        side,
        previous: String::new(),
        body: Body::Open {
            scenario: scenario_as_named.to_string(),
            scenario_name: scenario.file.name.clone(),
            what_ifs: what_ifs.to_vec(),
            inputs,
            public_key: key.public_key()?,
            dice_commit: commit,
        },
        signature: String::new(),
    }
    .sign(&key.signing()?);
    Ok((
        key,
        Record {
            format_version: RECORD_FORMAT_VERSION,
            turns: vec![turn],
        },
    ))
}

/// The opening's fields.
pub(super) struct Opening<'a> {
    pub(super) scenario: &'a str,
    pub(super) what_ifs: &'a [String],
    pub(super) inputs: &'a [InputDigest],
    pub(super) side: Side,
    pub(super) key: &'a str,
    pub(super) commit: &'a str,
}

pub(super) fn opening(r: &Record) -> Result<Opening<'_>, Refusal> {
    let Some(t) = r.turns.first() else {
        return Err("the record holds no turns".into());
    };
    match &t.body {
        Body::Open {
            scenario,
            what_ifs,
            inputs,
            public_key,
            dice_commit,
            ..
        } if t.number == 0 => Ok(Opening {
            scenario,
            what_ifs,
            inputs,
            side: t.side,
            key: public_key,
            commit: dice_commit,
        }),
        _ => Err("the record's first turn is not the opening of a game".into()),
    }
}

/// The second player accepts the game of an opening record: their key file and the record
/// with their acceptance, to send back.
pub fn join_game(opened: &Record, scenario_path: &Path) -> Result<(KeyFile, Record), Refusal> {
    if opened.turns.len() != 1 {
        return Err(format!(
            "this record holds {} turns: only a game's opening, with its one turn, can be joined",
            opened.turns.len()
        ));
    }
    check_record(opened, scenario_path)?;
    let o = opening(opened)?;
    let first = &opened.turns[0];
    let side = o.side.enemy();
    let key = KeyFile::new(&first.game, side);
    let cal = scenario_calendar(scenario_path, o.what_ifs)?;
    let commit = hex(&secret_at(&key.root()?, chain_length(&cal), 0));
    let turn = SignedTurn {
        number: 1,
        game: first.game.clone(),
        side,
        previous: first.hash(),
        body: Body::Join {
            public_key: key.public_key()?,
            dice_commit: commit,
        },
        signature: String::new(),
    }
    .sign(&key.signing()?);
    let mut record = opened.clone();
    record.turns.push(turn);
    Ok((key, record))
}

pub(super) fn scenario_calendar(
    scenario_path: &Path,
    what_ifs: &[String],
) -> Result<Calendar, Refusal> {
    let (s, _, _) = crate::scenario::prepare_game(scenario_path, None, what_ifs)
        .map_err(|d| crate::scenario::diag::to_text(&d))?;
    Ok(Calendar::new(
        s.start,
        s.end,
        s.file.turn_hours,
        s.moves_first(),
    ))
}
