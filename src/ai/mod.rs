//! The AI commanders: they read the world, follow their side's documented plan, and issue the
//! same orders a player does, through the same validation.
//!
//! The Soviet commander drives each formation along its axis, attacks where the odds are
//! good, masses for attacks the troops in contact are too weak to make, fights through an
//! enemy who bars the way or would cost a long detour, leaves strong fortified regions to a
//! blockade and bypasses them, and gives the transport aviation to the spearheads shortest
//! of fuel. The Japanese commander holds the fortified regions and the mountain passes,
//! carries on the redeployment to the south-eastern redoubt out of contact, delays in
//! contact and gives ground by bounds when outmatched, counter-attacks when the odds are
//! good, and stops fighting once the Emperor has spoken.

use std::collections::{BTreeMap, BTreeSet};

use bevy::prelude::*;

use crate::model::logistics::*;
use crate::model::map::TerrainKind;
use crate::model::*;
use crate::rules::Game;
use crate::rules::combat::{base_value, in_surprise, odds};
use crate::rules::movement::{Occupancy, UnitView, effective_mobility, snapshot};
use crate::scenario::load::{opposite, refill_t};
use crate::scenario::schema::{Mobility, SidePlan};
use crate::scenario::spawn::Plans;
use crate::scenario::spawn::Rules;

/// What the AI did in one phase.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AiTurn {
    pub orders: usize,
    pub rejected: usize,
}

/// Gives the side to move its AI orders and ends its phase.
pub fn play_phase(game: &mut Game) -> AiTurn {
    let orders = plan_orders(game.world_mut());
    let mut out = AiTurn::default();
    for o in orders {
        out.orders += 1;
        if game.submit(o).is_err() {
            out.rejected += 1;
        }
    }
    game.submit(Order::EndTurn)
        .expect("ending a turn is always allowed");
    out
}

/// The orders the AI gives the side to move, without giving them.
pub fn plan_orders(world: &mut World) -> Vec<Order> {
    let side = world.resource::<Calendar>().active;
    match side {
        Side::Soviet => soviet(world),
        Side::Japanese => japanese(world),
    }
}

/// What the AI reads of the world in one phase: the world's resources borrowed, and the
/// side's knowledge of the units (its own as they are, the enemy as its intel knows him).
struct Ctx<'w> {
    map: &'w Map,
    rules: &'w crate::scenario::schema::RulesFile,
    oob: &'w OrderOfBattle,
    control: &'w Control,
    weather: &'w CurrentWeather,
    units: Vec<UnitView>,
    parents: BTreeMap<UnitId, FormationId>,
    ammo: BTreeMap<UnitId, f64>,
    /// Tons of fuel each of the side's units has room for.
    fuel_room: BTreeMap<UnitId, f64>,
    occ: Occupancy,
    /// The side's own units only: the ground as if the enemy were not there. Built the first
    /// time a detour is weighed.
    occ_unopposed: std::cell::OnceCell<Occupancy>,
    going: crate::rules::movement::Going,
    flotillas: Option<&'w crate::model::logistics::RiverFlotillas>,
    surprise: bool,
    /// Enemy forces the side believes in without having seen them.
    believed: Vec<Hex>,
}

/// What the AI learns of its units that takes queries of the world (and so `&mut World`),
/// gathered before the rest of the world is borrowed for the phase.
struct Known {
    units: Vec<UnitView>,
    believed: Vec<Hex>,
    parents: BTreeMap<UnitId, FormationId>,
    ammo: BTreeMap<UnitId, f64>,
    fuel_room: BTreeMap<UnitId, f64>,
}

/// The side's own units as they are, and the enemy as its intelligence knows it: units in
/// sight where they stand, others where they were last seen, with the estimated strength.
fn known_units(world: &mut World, side: Side) -> (Vec<UnitView>, Vec<Hex>) {
    let mut units = snapshot(world);
    if !crate::rules::fog::fog_on(world) {
        return (units, Vec::new());
    }
    let known = crate::rules::fog::last_known(world, side);
    units.retain(|u| u.side == side || known.iter().any(|k| k.unit == u.id));
    for u in units.iter_mut().filter(|u| u.side != side) {
        if let Some(k) = known.iter().find(|k| k.unit == u.id && !k.visible) {
            u.hex = k.hex;
            u.strength.men = k.men;
            u.strength.tanks = k.tanks;
        }
    }
    let believed = crate::rules::fog::beliefs(world, side)
        .into_iter()
        .map(|(h, _)| h)
        .collect();
    (units, believed)
}

fn known(world: &mut World) -> Known {
    let side = world.resource::<Calendar>().active;
    let (units, believed) = known_units(world, side);
    let mut q = world.query::<(&UnitId, &Parent, &Stocks, &Capacity)>();
    let mut parents = BTreeMap::new();
    let mut ammo = BTreeMap::new();
    let mut fuel_room = BTreeMap::new();
    for (id, p, s, c) in q.iter(world) {
        parents.insert(*id, p.0);
        fuel_room.insert(*id, (c.fuel_t - s.fuel_t).max(0.0));
        ammo.insert(
            *id,
            if c.ammo_t > 0.0 {
                s.ammo_t / c.ammo_t
            } else {
                1.0
            },
        );
    }
    Known {
        units,
        believed,
        parents,
        ammo,
        fuel_room,
    }
}

fn context(world: &World, known: Known) -> Ctx<'_> {
    let map = world.resource::<Map>();
    let rules = &world.resource::<Rules>().0;
    let flotillas = world.get_resource::<crate::model::logistics::RiverFlotillas>();
    let going = crate::rules::movement::Going::of(world);
    let occ = Occupancy::sharing(&going, map, rules, &known.units).with_ferries(flotillas);
    Ctx {
        surprise: in_surprise(world),
        map,
        rules,
        oob: world.resource::<OrderOfBattle>(),
        control: world.resource::<Control>(),
        weather: world.resource::<CurrentWeather>(),
        units: known.units,
        parents: known.parents,
        ammo: known.ammo,
        fuel_room: known.fuel_room,
        occ,
        occ_unopposed: std::cell::OnceCell::new(),
        going,
        flotillas,
        believed: known.believed,
    }
}

impl Ctx<'_> {
    fn enemies_in(&self, h: Hex, side: Side) -> Vec<UnitView> {
        self.units
            .iter()
            .filter(|u| u.hex == h && u.side != side)
            .cloned()
            .collect()
    }

    fn odds_against(&self, attackers: &[UnitView], target: Hex) -> f64 {
        let Some(side) = attackers.first().map(|u| u.side) else {
            return 0.0;
        };
        let with: Vec<(UnitView, f64)> = attackers
            .iter()
            .map(|u| (u.clone(), self.ammo.get(&u.id).copied().unwrap_or(1.0)))
            .collect();
        odds(
            self.rules,
            self.map,
            self.weather,
            self.oob,
            &with,
            &self.enemies_in(target, side),
            target,
            self.surprise,
        )
        .ratio
    }

    /// Whether the rules would find the unit a route (so the order passes validation).
    ///
    /// A route search looks only at the enemy's counters and their zones of control, so the
    /// phase's occupancy serves every unit as it is (and keeps what one search learns about
    /// the ground for the next).
    fn reachable(&self, u: &UnitView, to: Hex) -> bool {
        self.route(u, to, &self.occ).is_some()
    }

    fn route(&self, u: &UnitView, to: Hex, occ: &Occupancy) -> Option<Vec<Hex>> {
        crate::rules::movement::find_route(self.map, self.rules, self.weather, occ, u, to, 12)
    }

    /// Whether the enemy bars the unit's way to `to`: there is no way round it, or (with
    /// `detour`) the way round is more than `detour` times as long as the way through.
    fn barred(&self, u: &UnitView, to: Hex, detour: Option<f64>) -> bool {
        let Some(around) = self.route(u, to, &self.occ) else {
            return true;
        };
        let Some(detour) = detour else {
            return false;
        };
        // No way through is shorter than the straight line: a route within `detour` of that
        // is no detour, and needs no second search.
        let around = around.len() as f64;
        if around <= detour * u.hex.distance(to) as f64 {
            return false;
        }
        let unopposed = self.occ_unopposed.get_or_init(|| {
            let own: Vec<UnitView> = self
                .units
                .iter()
                .filter(|x| x.side == u.side)
                .cloned()
                .collect();
            Occupancy::sharing(&self.going, self.map, self.rules, &own).with_ferries(self.flotillas)
        });
        self.route(u, to, unopposed)
            .is_some_and(|through| around > detour * through.len() as f64)
    }

    fn fights(&self, u: &UnitView) -> bool {
        !matches!(
            u.kind,
            UnitKind::SupportGroup | UnitKind::FortifiedRegionGarrison
        ) && base_value(&self.rules.combat, &u.strength, u.readiness) > 0.5
    }

    /// The axis a unit follows: the first axis naming a formation in its chain, nearest first.
    fn axis<'a>(
        &self,
        plan: &'a SidePlan,
        u: &UnitView,
    ) -> Option<&'a crate::scenario::schema::Axis> {
        let parent = self.parents.get(&u.id)?;
        self.oob
            .chain(*parent)
            .find_map(|f| plan.axes.iter().find(|a| a.formations.contains(&f.name)))
    }
}

/// The first place of an axis not yet in the side's hands.
fn next_objective(ctx: &Ctx, axis: &crate::scenario::schema::Axis, side: Side) -> Option<Hex> {
    axis.objectives
        .iter()
        .filter_map(|n| ctx.map.place_named(n))
        .find(|p| ctx.control.owner[p.id.0 as usize] != Some(side))
        .map(|p| p.hex)
}

/// How far, in hexes, a unit looks for the enemy that bars its way (a few days' march).
const BARRING_HORIZON: u32 = 12;

/// How near, in hexes, the enemy must be before a unit already marching asks again whether
/// its way round him is a detour not worth making (about a day's march).
const DETOUR_HORIZON: u32 = 4;

/// Among the enemy the side knows of within a few days' march, the hex that lies most nearly
/// on the way from the unit to `to` and that the unit can march up to.
fn barring_enemy(ctx: &Ctx, u: &UnitView, to: Hex) -> Option<Hex> {
    let mut near: Vec<Hex> = ctx
        .units
        .iter()
        .filter(|e| e.side != u.side && e.hex.distance(u.hex) <= BARRING_HORIZON)
        .map(|e| e.hex)
        .collect();
    near.sort_by_key(|h| (h.distance(u.hex) + h.distance(to), *h));
    near.dedup();
    near.into_iter().take(3).find(|h| ctx.reachable(u, *h))
}

/// Attacks: every enemy hex beside our units, strongest odds first; each unit attacks once.
fn attacks(ctx: &Ctx, plan: &SidePlan, side: Side, barred: &BTreeSet<UnitId>) -> Attacks {
    let mine: Vec<&UnitView> = ctx
        .units
        .iter()
        .filter(|u| u.side == side && ctx.fights(u))
        .collect();
    let mut targets: BTreeSet<Hex> = BTreeSet::new();
    for u in &mine {
        for n in u.hex.neighbors() {
            if ctx.occ.enemy_in(ctx.map, n, side) {
                targets.insert(n);
            }
        }
    }
    let mut scored: Vec<(f64, Hex, Vec<UnitView>)> = targets
        .into_iter()
        .map(|t| {
            let group: Vec<UnitView> = mine
                .iter()
                .filter(|u| u.hex.distance(t) == 1)
                .map(|u| (*u).clone())
                .collect();
            (ctx.odds_against(&group, t), t, group)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut used = BTreeSet::new();
    let mut orders = Vec::new();
    let mut short = Vec::new();
    for (_, t, group) in scored {
        let group: Vec<UnitView> = group
            .into_iter()
            .filter(|u| !used.contains(&u.id))
            .collect();
        if group.is_empty() {
            continue;
        }
        let r = ctx.odds_against(&group, t);
        let fort = ctx.map.cell(t).map_or(0, |c| c.fort_level);
        let need = if fort >= ctx.rules.combat.fort_holds_level {
            plan.storm_fort_odds
        } else if group.iter().any(|u| barred.contains(&u.id)) {
            plan.barred_attack_odds.unwrap_or(plan.attack_odds)
        } else {
            plan.attack_odds
        };
        if r >= need {
            used.extend(group.iter().map(|u| u.id));
            orders.push(Order::Attack {
                units: group.iter().map(|u| u.id).collect(),
                target: t,
            });
        } else if fort < ctx.rules.combat.fort_holds_level {
            short.push(ShortAttack {
                target: t,
                group,
                need,
            });
        }
    }
    Attacks {
        orders,
        attacking: used,
        short,
    }
}

/// Forward detachments: where the lead unit of a formation (the strongest in armour of those
/// nearest the formation's next objective) is short of fuel, the formation's units beside it
/// hand it theirs, so that it at least goes on while the main body waits for the lorries and
/// the transports.
fn forward_detachments(ctx: &Ctx, plan: &SidePlan, side: Side) -> Vec<Order> {
    let Some(rule) = &plan.forward_detachments else {
        return Vec::new();
    };
    let refill = |u: &UnitView| refill_t(ctx.rules, u.strength.tanks, u.strength.vehicles);
    let mut by_parent: BTreeMap<FormationId, Vec<&UnitView>> = BTreeMap::new();
    for u in ctx
        .units
        .iter()
        .filter(|u| u.side == side && ctx.fights(u) && refill(u) > 0.0)
    {
        if let Some(p) = ctx.parents.get(&u.id) {
            by_parent.entry(*p).or_default().push(u);
        }
    }
    let mut orders = Vec::new();
    for units in by_parent.values() {
        let Some(goal) = units
            .first()
            .and_then(|u| ctx.axis(plan, u))
            .and_then(|axis| next_objective(ctx, axis, side))
        else {
            continue;
        };
        // The lead: the strongest in armour of the units at the head of the formation.
        let Some(head) = units.iter().map(|u| u.hex.distance(goal)).min() else {
            continue;
        };
        let Some(lead) = units
            .iter()
            .filter(|u| u.hex.distance(goal) <= head + 1)
            .min_by_key(|u| (std::cmp::Reverse(u.strength.tanks), u.id))
        else {
            continue;
        };
        if lead.fuel_t >= rule.below_refills * refill(lead) {
            continue;
        }
        let room = ctx.fuel_room.get(&lead.id).copied().unwrap_or(0.0);
        let want = (rule.fill_refills * refill(lead) - lead.fuel_t).min(room);
        let donors = units
            .iter()
            .filter(|u| u.id != lead.id && u.hex.distance(lead.hex) <= 1 && u.fuel_t > 0.0)
            .copied()
            .collect();
        orders.extend(crate::rules::fuel_transfer::fill_from(
            donors, lead.id, want,
        ));
    }
    orders
}

/// The attacks a side orders this phase, and those it would make with more troops.
struct Attacks {
    orders: Vec<Order>,
    attacking: BTreeSet<UnitId>,
    /// Enemy hexes beside the side's units that the units there are too weak to attack.
    short: Vec<ShortAttack>,
}

struct ShortAttack {
    target: Hex,
    group: Vec<UnitView>,
    need: f64,
}

/// How far, in hexes, a commander draws troops from to mass for an attack the troops in
/// contact are too weak to make.
const MASSING_RADIUS: u32 = 3;

/// Troops massed for the attacks the units in contact are too weak to make: for each such
/// enemy hex, the nearest free fighting units within reach move up beside it, as many as
/// the odds need; a hex that all of them together could not attack is left alone.
fn mass_for_attacks(
    ctx: &Ctx,
    side: Side,
    short: &[ShortAttack],
    busy: &BTreeSet<UnitId>,
) -> BTreeMap<UnitId, Hex> {
    let mut sent: BTreeMap<UnitId, Hex> = BTreeMap::new();
    let in_contact = |u: &UnitView| {
        u.hex
            .neighbors()
            .iter()
            .any(|n| ctx.occ.enemy_in(ctx.map, *n, side))
    };
    for s in short {
        let mut free: Vec<&UnitView> = ctx
            .units
            .iter()
            .filter(|u| {
                u.side == side
                    && ctx.fights(u)
                    && !busy.contains(&u.id)
                    && !sent.contains_key(&u.id)
                    && u.hex.distance(s.target) <= MASSING_RADIUS
                    && !in_contact(u)
                    && effective_mobility(ctx.rules, u).is_some()
            })
            .collect();
        free.sort_by_key(|u| (u.hex.distance(s.target), u.id));
        let mut group = s.group.clone();
        let mut moves = Vec::new();
        for u in free {
            if ctx.odds_against(&group, s.target) >= s.need {
                break;
            }
            let mut around: Vec<Hex> =
                s.target
                    .neighbors()
                    .into_iter()
                    .filter(|h| {
                        ctx.map.cell(*h).is_some_and(|c| {
                            !matches!(c.terrain, TerrainKind::Sea | TerrainKind::Lake)
                        }) && !ctx.occ.enemy_in(ctx.map, *h, side)
                    })
                    .collect();
            around.sort_by_key(|h| (h.distance(u.hex), *h));
            let Some(beside) = around.into_iter().find(|h| ctx.reachable(u, *h)) else {
                continue;
            };
            group.push(u.clone());
            moves.push((u.id, beside));
        }
        if ctx.odds_against(&group, s.target) >= s.need {
            sent.extend(moves);
        }
    }
    sent
}

fn soviet(world: &mut World) -> Vec<Order> {
    let plans = world.get_resource::<Plans>().cloned().unwrap_or_default();
    let plan = plans.0.soviet;
    let known = known(world);
    let world: &World = world;
    let mut ctx = context(world, known);
    let side = Side::Soviet;
    // Fuel changes hands first, so the forward detachments march on what they are given.
    let transfers = forward_detachments(&ctx, &plan, side);
    for o in &transfers {
        if let Order::TransferFuel { from, to, tons } = o {
            for u in ctx.units.iter_mut() {
                if u.id == *from {
                    u.fuel_t -= tons;
                } else if u.id == *to {
                    u.fuel_t += tons;
                }
            }
        }
    }
    let ctx = ctx;
    // Units in contact whose way to their axis's next objective the enemy bars.
    let barred: BTreeSet<UnitId> = ctx
        .units
        .iter()
        .filter(|u| u.side == side && ctx.fights(u))
        .filter(|u| {
            u.hex
                .neighbors()
                .iter()
                .any(|n| ctx.occ.enemy_in(ctx.map, *n, side))
        })
        .filter(|u| {
            ctx.axis(&plan, u)
                .and_then(|axis| next_objective(&ctx, axis, side))
                .is_some_and(|to| {
                    to != u.hex
                        && effective_mobility(ctx.rules, u).is_some()
                        && ctx.barred(u, to, plan.barred_detour)
                })
        })
        .map(|u| u.id)
        .collect();
    let Attacks {
        orders: attack_orders,
        attacking,
        short,
    } = attacks(&ctx, &plan, side, &barred);
    let mut orders = transfers;
    orders.extend(attack_orders);
    let massing = mass_for_attacks(&ctx, side, &short, &attacking);
    let blockaders: BTreeSet<Hex> = BTreeSet::new();
    let mut blockaded = blockaders;
    for u in ctx.units.iter().filter(|u| u.side == side) {
        if attacking.contains(&u.id) {
            continue;
        }
        if let Some(&h) = massing.get(&u.id) {
            if h != u.hex && u.destination != Some(h) {
                orders.push(Order::MoveTo { unit: u.id, to: h });
            }
            continue;
        }
        let parent = ctx.parents[&u.id];
        // Front rear services and fortified-region garrisons stay at their posts.
        let front_level = matches!(ctx.oob.get(parent).kind, FormationKind::Front);
        // Air-landing detachments wait at their airfields for the transports.
        let flown = ctx
            .rules
            .air_landing
            .as_ref()
            .is_some_and(|r| r.kinds.contains(&u.kind));
        if u.kind == UnitKind::FortifiedRegionGarrison
            || (u.kind == UnitKind::SupportGroup && front_level)
            || flown
        {
            continue;
        }
        let Some(axis) = ctx.axis(&plan, u) else {
            continue;
        };
        // The first objective not yet in Soviet hands, skipping fortresses left to a blockade.
        let mut target = None;
        for name in &axis.objectives {
            let Some(p) = ctx.map.place_named(name) else {
                continue;
            };
            if ctx.control.owner[p.id.0 as usize] == Some(side) {
                continue;
            }
            let fort = ctx.map.cell(p.hex).map_or(0, |c| c.fort_level);
            let held = ctx.occ.enemy_in(ctx.map, p.hex, side);
            if held && fort >= ctx.rules.combat.fort_holds_level {
                // One unit blockades it; the rest bypass it.
                if u.hex.distance(p.hex) == 1 && !blockaded.contains(&p.hex) {
                    blockaded.insert(p.hex);
                    target = Some(u.hex);
                    break;
                }
                if u.hex.distance(p.hex) > 1 && !blockaded.contains(&p.hex) {
                    target = Some(p.hex);
                    break;
                }
                continue;
            }
            target = Some(p.hex);
            break;
        }
        let Some(to) = target else { continue };
        if to == u.hex {
            continue;
        }
        // A unit already on its way carries on, unless it has come close to the enemy: then
        // its way round him may be a detour not worth making.
        let marching = u.destination == Some(to);
        let enemy_near = || {
            ctx.units
                .iter()
                .any(|e| e.side != side && e.hex.distance(u.hex) <= DETOUR_HORIZON)
        };
        if marching && (plan.barred_detour.is_none() || !enemy_near()) {
            continue;
        }
        if effective_mobility(ctx.rules, u).is_none() {
            continue;
        }
        if ctx.barred(u, to, plan.barred_detour) {
            // The enemy bars the way: close with the nearest of the enemy between the unit
            // and its objective, to attack it next turn.
            if plan.barred_attack_odds.is_some()
                && let Some(h) = barring_enemy(&ctx, u, to)
            {
                if u.destination != Some(h) {
                    orders.push(Order::MoveTo { unit: u.id, to: h });
                }
                continue;
            }
            // Nobody to close with: the way round, if there is one.
            if !ctx.reachable(u, to) {
                continue;
            }
        }
        if !marching {
            orders.push(Order::MoveTo { unit: u.id, to });
        }
    }
    let landings = air_landings(world, &ctx, &plan, side);
    let mut booked: BTreeMap<FormationId, f64> = BTreeMap::new();
    for o in &landings {
        if let Order::AirLanding { air_army, unit, .. } = o
            && let Some(u) = ctx.units.iter().find(|u| u.id == *unit)
        {
            *booked.entry(*air_army).or_default() +=
                crate::rules::landings::lift_tons(world, u.strength.men);
        }
    }
    orders.extend(landings);
    orders.extend(sea_landings(world, &ctx, &plan, side));
    orders.extend(airlifts(world, &ctx, &plan, side, &booked));
    orders
}

/// The fleet's landing troops put ashore at the plan's ports, in order: where the beach is
/// empty as far as the side knows, or the odds with the fleet's guns are good enough.
fn sea_landings(world: &World, ctx: &Ctx, plan: &SidePlan, side: Side) -> Vec<Order> {
    if ctx.rules.sea_landing.is_none() || plan.sea_landing_targets.is_empty() || ctx.surprise {
        return Vec::new();
    }
    let fleets = world.resource::<SeaTransport>().fleets.clone();
    let afloat = world.resource::<Landings>().at_sea.clone();
    let mut taken: BTreeSet<Hex> = afloat.iter().map(|f| f.target).collect();
    let mut orders = Vec::new();
    for fleet in fleets.iter().filter(|f| f.side == side) {
        let support = crate::rules::sea_landings::landing_support(world, fleet.formation);
        let mut embarked = 0;
        // The fleet's own landing troops, waiting at one of its ports.
        for u in ctx.units.iter().filter(|u| {
            u.side == side
                && u.strength.men > 0
                && !afloat.iter().any(|f| f.unit == u.id)
                && ctx
                    .parents
                    .get(&u.id)
                    .is_some_and(|p| ctx.oob.chain(*p).any(|f| f.id == fleet.formation))
        }) {
            let Some(port) = fleet.ports.iter().copied().find(|b| {
                ctx.control.owner[b.0 as usize] == Some(side)
                    && ctx.map.place(*b).hex.distance(u.hex) <= 1
            }) else {
                continue;
            };
            let from = ctx.map.place(port).at;
            let target = plan.sea_landing_targets.iter().find_map(|name| {
                let p = ctx.map.place_named(name)?;
                if taken.contains(&p.hex)
                    || ctx.control.owner[p.id.0 as usize] == Some(side)
                    || from.distance_km(p.at) > fleet.range_km
                {
                    return None;
                }
                let defenders = ctx.enemies_in(p.hex, side);
                if defenders.is_empty() {
                    return Some(p.hex);
                }
                let o = odds(
                    ctx.rules,
                    ctx.map,
                    ctx.weather,
                    ctx.oob,
                    &[(u.clone(), ctx.ammo.get(&u.id).copied().unwrap_or(1.0))],
                    &defenders,
                    p.hex,
                    ctx.surprise,
                );
                let r = (o.attack * support.attack_factor + support.gunfire) / o.defence;
                (r >= plan.attack_odds).then_some(p.hex)
            });
            let Some(target) = target else { continue };
            let order = Order::SeaLanding {
                fleet: fleet.formation,
                port,
                unit: u.id,
                target,
            };
            if crate::rules::sea_landings::validate_sea_landing(world, u, &order, embarked).is_err()
            {
                continue;
            }
            embarked += u.strength.men;
            taken.insert(target);
            orders.push(order);
        }
    }
    orders
}

/// Detachments flown into the plan's cities once their garrisons have heard the cease-fire
/// (or the city stands empty after the broadcast).
fn air_landings(world: &World, ctx: &Ctx, plan: &SidePlan, side: Side) -> Vec<Order> {
    let Some(lr) = ctx.rules.air_landing.clone() else {
        return Vec::new();
    };
    // The order to cease fire must have reached the enemy's command, and every unit of a
    // garrison must have heard it.
    let ceasefire = world.resource::<CeasefireState>();
    if plan.air_landing_targets.is_empty()
        || !crate::rules::ceasefire::broadcast_made(world)
        || ceasefire.formations.is_empty()
    {
        return Vec::new();
    }
    let heard = &ceasefire.units;
    let mut lift: BTreeMap<usize, f64> = BTreeMap::new();
    let flying = world.resource::<Landings>().clone();
    let fleets = world.resource::<AirTransport>().fleets.clone();
    let mut taken: BTreeSet<PlaceId> = flying.in_flight.iter().map(|f| f.place).collect();
    let snapshot_all = {
        let Some(mut q) = world.try_query::<(&UnitId, &Allegiance, &Position, &Strength)>() else {
            return Vec::new();
        };
        let mut v: Vec<(UnitId, Side, Hex)> = q
            .iter(world)
            .filter(|r| r.3.men > 0)
            .map(|(id, a, p, _)| (*id, a.side, p.0))
            .collect();
        v.sort();
        v
    };
    let mut orders = Vec::new();
    for u in ctx.units.iter().filter(|u| {
        u.side == side
            && lr.kinds.contains(&u.kind)
            && u.strength.men <= lr.max_men
            && !flying.in_flight.iter().any(|f| f.unit == u.id)
    }) {
        // A fleet with a base of ours where the detachment stands.
        let Some((fleet, base)) = fleets.iter().filter(|f| f.side == side).find_map(|f| {
            f.bases
                .iter()
                .find(|b| {
                    ctx.control.owner[b.0 as usize] == Some(side)
                        && ctx.map.place(**b).hex.distance(u.hex) <= 1
                })
                .map(|b| (f, *b))
        }) else {
            continue;
        };
        let from = ctx.map.place(base).at;
        let target = plan.air_landing_targets.iter().find_map(|name| {
            let p = ctx.map.place_named(name)?;
            if taken.contains(&p.id)
                || ctx.control.owner[p.id.0 as usize] == Some(side)
                || from.distance_km(p.at) > fleet.range_km
            {
                return None;
            }
            let garrison_heard = snapshot_all
                .iter()
                .filter(|(_, s, h)| *s != side && *h == p.hex)
                .all(|(id, _, _)| heard.contains_key(id));
            garrison_heard.then_some(p.id)
        });
        let Some(place) = target else { continue };
        let order = Order::AirLanding {
            air_army: fleet.formation,
            base,
            unit: u.id,
            place,
        };
        let Ok((fi, tons)) = crate::rules::landings::validate_air_landing(world, u, &order, &lift)
        else {
            continue;
        };
        *lift.entry(fi).or_default() += tons;
        taken.insert(place);
        orders.push(order);
    }
    orders
}

/// Transport aviation to the spearheads shortest of fuel, priority formations first.
fn airlifts(
    world: &World,
    ctx: &Ctx,
    plan: &SidePlan,
    side: Side,
    booked: &BTreeMap<FormationId, f64>,
) -> Vec<Order> {
    let fleets = world.resource::<AirTransport>().fleets.clone();
    let depots = world.resource::<Depots>().clone();
    let cal = world.resource::<Calendar>();
    let mut orders = Vec::new();
    let priority = |u: &UnitView| -> Option<usize> {
        let parent = ctx.parents.get(&u.id)?;
        ctx.oob
            .chain(*parent)
            .find_map(|f| plan.airlift_priority.iter().position(|n| *n == f.name))
    };
    let mut needy: Vec<(usize, f64, &UnitView, f64)> = ctx
        .units
        .iter()
        .filter(|u| u.side == side)
        .filter(|u| {
            matches!(
                crate::rules::movement::kind_def(ctx.rules, u.kind).mobility,
                Mobility::Motorised | Mobility::Tracked
            )
        })
        .filter_map(|u| {
            let p = priority(u)?;
            let refill = refill_t(ctx.rules, u.strength.tanks, u.strength.vehicles);
            (refill > 0.0 && u.fuel_t < 1.0 * refill).then_some((p, u.fuel_t / refill, u, refill))
        })
        .collect();
    needy.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.id.cmp(&b.2.id))
    });
    // Fuel at each base depot, less what this phase's orders take from it.
    let mut stock: BTreeMap<Hex, f64> = BTreeMap::new();
    for d in depots.depots.iter().filter(|d| d.side == side) {
        *stock.entry(d.hex).or_default() += d.fuel_t;
    }
    let flying = |h: Hex| crate::rules::airlift::flying(ctx.rules, ctx.weather.at(ctx.map, h));
    for (fi, f) in fleets
        .iter()
        .enumerate()
        .filter(|(_, f)| f.side == side && f.aircraft > 0)
    {
        // Tons already booked on the fleet this phase: the air landings, then these airlifts.
        let mut used = booked.get(&f.formation).copied().unwrap_or(0.0);
        // An air army's transports serve the front it belongs to.
        let front = ctx.oob.front_of(f.formation).id;
        for (_, _, u, refill) in &needy {
            if ctx
                .parents
                .get(&u.id)
                .is_none_or(|p| ctx.oob.front_of(*p).id != front)
            {
                continue;
            }
            let here = ctx.map.center(u.hex);
            let base = f
                .bases
                .iter()
                .filter(|b| ctx.control.owner[b.0 as usize] == Some(side))
                .map(|b| ctx.map.place(*b))
                .filter(|b| stock.get(&b.hex).is_some_and(|t| *t >= f.payload_t))
                .filter(|_| {
                    let t = ctx.map.cell(u.hex).map(|c| c.terrain);
                    t.is_some_and(|t| crate::rules::airlift::landing_ground(ctx.rules, t))
                })
                .map(|b| (b, b.at.distance_km(here)))
                .filter(|(_, d)| *d <= f.range_km)
                .min_by(|a, b| a.1.total_cmp(&b.1));
            let Some((base, _)) = base else { continue };
            // The rules' own reckoning of what the fleet can still fly in this weather.
            let left = crate::rules::airlift::capacity_left(
                ctx.rules,
                f,
                fi,
                &AirliftBooked {
                    tons: [(fi, used)].into(),
                },
                cal.turn_hours,
                flying(base.hex).min(flying(u.hex)),
            )
            .min(stock[&base.hex]);
            let want = ((1.5 * refill - u.fuel_t) / f.payload_t).floor() * f.payload_t;
            let tons = want.min((left / f.payload_t).floor() * f.payload_t);
            if tons < f.payload_t {
                continue;
            }
            used += tons;
            *stock.get_mut(&base.hex).expect("the base has a depot") -= tons;
            orders.push(Order::Airlift {
                air_army: f.formation,
                base: base.id,
                to: u.id,
                cargo: Cargo::Fuel,
                tons,
            });
        }
    }
    orders
}

fn japanese(world: &mut World) -> Vec<Order> {
    if in_surprise(world) {
        return Vec::new();
    }
    let plans = world.get_resource::<Plans>().cloned().unwrap_or_default();
    let plan = plans.0.japanese;
    let broadcast = crate::rules::ceasefire::broadcast_made(world);
    let redeployment = world
        .resource::<crate::scenario::whatif::Switches>()
        .on("redeployment");
    let known = known(world);
    let world: &World = world;
    let ctx = context(world, known);
    let side = Side::Japanese;
    let enemy = opposite(side);
    let (mut orders, attacking) = if broadcast {
        (Vec::new(), BTreeSet::new())
    } else {
        let a = attacks(&ctx, &plan, side, &BTreeSet::new());
        (a.orders, a.attacking)
    };
    let redoubt: Vec<Hex> = plan
        .redoubt
        .iter()
        .filter_map(|n| ctx.map.place_named(n))
        .filter(|p| ctx.control.owner[p.id.0 as usize] == Some(side))
        .map(|p| p.hex)
        .collect();
    let enemy_units: Vec<&UnitView> = ctx.units.iter().filter(|u| u.side == enemy).collect();
    for u in ctx.units.iter().filter(|u| u.side == side) {
        if attacking.contains(&u.id) || broadcast {
            continue;
        }
        // Fortified regions and mountain passes are held, not given up for a bound.
        let (fort, pass) = ctx
            .map
            .cell(u.hex)
            .map_or((0, false), |c| (c.fort_level, c.pass));
        if fort > 0
            || pass
            || matches!(u.kind, UnitKind::BorderGarrison)
            || u.readiness < ctx.rules.zoc_min_readiness
        {
            continue;
        }
        // Outmatched beside the enemy, or with the enemy closing in: fall back on the redoubt.
        // The enemy it knows of, and the enemy it believes in.
        let near = enemy_units
            .iter()
            .map(|e| e.hex)
            .chain(ctx.believed.iter().copied())
            .map(|h| h.distance(u.hex))
            .min()
            .unwrap_or(u32::MAX);
        let threat: f64 = enemy_units
            .iter()
            .filter(|e| e.hex.distance(u.hex) == 1)
            .map(|e| base_value(&ctx.rules.combat, &e.strength, e.readiness))
            .sum();
        let own = base_value(&ctx.rules.combat, &u.strength, u.readiness).max(0.1);
        // Beside the enemy a unit delays where it stands until outmatched; out of contact, the
        // main force carries on its redeployment to the redoubt.
        let beaten = threat / own >= plan.fall_back_odds;
        let redeploying = redeployment && near > 6;
        if !(beaten || redeploying) {
            continue;
        }
        let Some(&redoubt_hex) = redoubt.iter().min_by_key(|h| (h.distance(u.hex), **h)) else {
            continue;
        };
        // Driven back, a unit gives ground by a bound and delays again on the best ground
        // behind it; only out of contact does it march on to the redoubt.
        let to = if beaten {
            fall_back_bound(&ctx, u, redoubt_hex, &enemy_units).unwrap_or(redoubt_hex)
        } else {
            redoubt_hex
        };
        if to == u.hex || u.destination == Some(to) {
            continue;
        }
        orders.push(Order::MoveTo { unit: u.id, to });
    }
    orders
}

/// How far, in hexes, a unit driven back gives ground before it stands again.
const FALL_BACK_BOUND: u32 = 3;

/// Where a unit driven back stands next: within a bound, nearer its redoubt, out of the
/// known enemy's reach, on the ground that most helps the defence (a fortified region, a town,
/// mountains or forest), the nearest to the redoubt among equals.
fn fall_back_bound(ctx: &Ctx, u: &UnitView, redoubt: Hex, enemy: &[&UnitView]) -> Option<Hex> {
    let c = &ctx.rules.combat;
    let now = u.hex.distance(redoubt);
    let defence = |h: Hex| -> f64 {
        ctx.map
            .cell(h)
            .map_or(0.0, |cell| crate::rules::combat::ground_defence(c, cell))
    };
    let mut best: Option<(f64, u32, Hex)> = None;
    for h in u.hex.within(FALL_BACK_BOUND) {
        let to_redoubt = h.distance(redoubt);
        if to_redoubt >= now
            || ctx
                .map
                .cell(h)
                .is_none_or(|cell| matches!(cell.terrain, TerrainKind::Sea | TerrainKind::Lake))
            || enemy.iter().any(|e| e.hex.distance(h) <= 1)
        {
            continue;
        }
        let d = defence(h);
        let better = best.is_none_or(|(bd, br, bh)| {
            d > bd + 1e-9 || (d > bd - 1e-9 && (to_redoubt, h) < (br, bh))
        });
        if better && ctx.reachable(u, h) {
            best = Some((d, to_redoubt, h));
        }
    }
    best.map(|(_, _, h)| h)
}
