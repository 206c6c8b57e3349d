//! A save is played again from its scenario, seed and orders when it is loaded: one whose
//! state was edited by hand (a unit's fuel, a place's owner, the dice) is refused with the
//! first difference, so an edited save can no longer change a game.

use crate::common;

use august_storm::cli::simulate::play;
use august_storm::model::*;
use august_storm::rules::save::{load_game, save_game};
use common::*;

/// The fixture played by the AI for a day and a half, saved; the save's text.
fn saved_game(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let mut g = game_of(&fixture("tiny.ron"), Some(5));
    play(&mut g, &[], &[Side::Soviet, Side::Japanese], 4);
    let path = dir.join("game.ron");
    save_game(&mut g, &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

/// Loads the save edited to `text`, its checksum recomputed as a forger who knows the hash
/// would do: the replay, not the checksum, must catch it.
fn refusal(path: &std::path::Path, text: &str) -> String {
    std::fs::write(path, restamp(text)).unwrap();
    match load_game(path) {
        Ok(_) => panic!("the edited save loaded"),
        Err(d) => d[0].message.clone(),
    }
}

#[test]
fn a_save_as_the_game_wrote_it_loads() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = saved_game(dir.path());
    load_game(&path).unwrap_or_else(|d| panic!("{d:#?}"));
}

#[test]
fn a_units_fuel_edited_by_hand_is_refused_naming_the_unit_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let (path, text) = saved_game(dir.path());
    let at = text.find("fuel_t: ").unwrap();
    let end = at + text[at..].find(',').unwrap();
    let edited = format!("{}fuel_t: 99999.0{}", &text[..at], &text[end..]);
    let m = refusal(&path, &edited);
    assert!(m.contains("not what its own orders give"), "{m}");
    assert!(m.contains("stocks.fuel_t"), "{m}");
    assert!(m.contains("99999"), "{m}");
}

#[test]
fn a_place_given_to_the_other_side_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, text) = saved_game(dir.path());
    let at = text.find("owner: [").unwrap();
    let rest = &text[at..];
    let first = rest.find("Some(Japanese)").unwrap();
    let edited = format!(
        "{}{}Some(Soviet){}",
        &text[..at],
        &rest[..first],
        &rest[first + "Some(Japanese)".len()..]
    );
    let m = refusal(&path, &edited);
    assert!(m.contains("control.owner"), "{m}");
}

#[test]
fn dice_moved_on_by_hand_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, text) = saved_game(dir.path());
    let at = text.find("word_pos_low: ").unwrap();
    let end = at + text[at..].find(',').unwrap();
    let edited = format!("{}word_pos_low: 40{}", &text[..at], &text[end..]);
    let m = refusal(&path, &edited);
    assert!(m.contains("rng.word_pos_low is 40 in the save"), "{m}");
}
