//! A side's report under fog of war (`simulate --side`): it never names an enemy unit that
//! side has not observed, while the omniscient report names them all.

use crate::common;

use august_storm::model::*;
use august_storm::report::{campaign_report, units_named, view_for};
use august_storm::rules::fog::knows;
use common::*;

#[test]
fn a_sides_report_names_no_enemy_unit_it_has_not_seen() {
    // The historical opening, AI against AI: enough contact for both sides to see some of the
    // enemy and not all of it.
    let mut game = game_of(&historical(), Some(5));
    august_storm::cli::simulate::play(&mut game, &[], &[Side::Soviet, Side::Japanese], 7);
    let all = campaign_report(&mut game);
    let side_of = |g: &mut august_storm::rules::Game, u: UnitId| {
        let e = g.entity(u).expect("the unit exists");
        g.world().get::<Allegiance>(e).expect("an allegiance").side
    };
    for viewer in [Side::Soviet, Side::Japanese] {
        let mut view = all.clone();
        view_for(&mut view, game.world(), viewer);
        let mut unseen_in_full = 0;
        for e in &all.events {
            for u in units_named(&e.event) {
                let s = side_of(&mut game, u);
                if !knows(game.world(), viewer, u, s) {
                    unseen_in_full += 1;
                }
            }
        }
        assert!(
            unseen_in_full > 0,
            "the full report should name units the {viewer:?} side never saw"
        );
        for e in &view.events {
            for u in units_named(&e.event) {
                let s = side_of(&mut game, u);
                assert!(
                    knows(game.world(), viewer, u, s),
                    "the {viewer:?} view names unit {} it never observed: {:?}",
                    u.0,
                    e.event
                );
            }
        }
        assert!(view.events.len() < all.events.len());
        // Battles it saw tell the side its own losses, never the enemy's.
        let mut battles = 0;
        for e in &view.events {
            if let GameEvent::Battle {
                attackers,
                attacker_losses,
                defender_losses,
                ..
            } = &e.event
            {
                battles += 1;
                let enemy = if side_of(&mut game, attackers[0]) == viewer {
                    defender_losses
                } else {
                    attacker_losses
                };
                assert_eq!(*enemy, Losses::default(), "{:?}", e.event);
            }
        }
        assert!(battles > 0, "the {viewer:?} side saw no battle");
        let oob = game.world().resource::<OrderOfBattle>();
        for r in &view.timeline {
            let f = oob.formations.iter().find(|f| f.name == r.formation);
            assert!(
                f.is_none_or(|f| f.side == viewer),
                "{} is not the {viewer:?} side's",
                r.formation
            );
        }
    }
}
