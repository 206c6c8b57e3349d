//! Supply: railway arrivals at the railheads, the working railway network (captured lines
//! only after repair), lorries hauling from railhead to troops with a lift that falls with
//! distance and mud, food eaten each turn, and hunger when nothing comes.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};

use bevy::prelude::*;

use super::movement::{Occupancy, UnitView, round_to};
use super::{ResolveTurn, TurnPhase};
use crate::model::logistics::*;
use crate::model::*;
use crate::scenario::schema::{Mobility, RulesFile};
use crate::scenario::spawn::Rules;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        ResolveTurn,
        (trains_arrive, haul_supplies, eat)
            .chain()
            .in_set(TurnPhase::Supply),
    );
}

/// Whether a railway hex carries `side`'s trains this turn.
pub fn rail_works_for(
    map: &Map,
    captures: &RailCaptures,
    side: Side,
    h: Hex,
    turn: u32,
    repair_turns: u32,
) -> bool {
    let Some(cell) = map.cell(h) else {
        return false;
    };
    if !cell.edges.iter().any(|e| e.rail.is_some()) {
        return false;
    }
    match captures.taken.get(&h) {
        Some((holder, t0)) => {
            *holder == side && (map.initial_owner(h) == Some(side) || turn >= t0 + repair_turns)
        }
        None => map.initial_owner(h) == Some(side),
    }
}

/// Turns a captured railway needs before it works.
pub fn repair_turns(rules: &RulesFile, turn_hours: u32) -> u32 {
    (rules.supply.rail_repair_days * 24.0 / turn_hours as f64).ceil() as u32
}

/// Where a side's lorries can load: every depot with stock, and every working railway hex
/// joined to one by working track. Maps hex → depot index.
pub fn supply_points(
    map: &Map,
    depots: &Depots,
    captures: &RailCaptures,
    occ: &Occupancy,
    side: Side,
    turn: u32,
    repair: u32,
) -> BTreeMap<Hex, usize> {
    let mut points = BTreeMap::new();
    let mut queue = VecDeque::new();
    for (i, d) in depots.depots.iter().enumerate() {
        let empty = d.fuel_t + d.ammo_t + d.food_t < 1.0;
        if d.side != side || empty || occ.enemy_in(map, d.hex, side) {
            continue;
        }
        points.entry(d.hex).or_insert(i);
        if rail_works_for(map, captures, side, d.hex, turn, repair) {
            queue.push_back((d.hex, i));
        }
    }
    // Breadth-first along working track: a hex takes the depot first to reach it.
    while let Some((h, i)) = queue.pop_front() {
        let Some(cell) = map.cell(h) else { continue };
        for dir in 0..6 {
            if cell.edges[dir].rail.is_none() {
                continue;
            }
            let n = h.neighbor(dir);
            if points.contains_key(&n)
                || occ.enemy_in(map, n, side)
                || !rail_works_for(map, captures, side, n, turn, repair)
            {
                continue;
            }
            points.insert(n, i);
            queue.push_back((n, i));
        }
    }
    points
}

/// Lorry routes: for every hex, the shortest haul (km of route, mud included) from any
/// supply point, avoiding the enemy and the ground it covers, up to the rules' greatest haul.
/// Returns per map cell `(haul_km, depot index)`.
pub fn haul_field(
    map: &Map,
    rules: &RulesFile,
    weather: &CurrentWeather,
    occ: &Occupancy,
    side: Side,
    points: &BTreeMap<Hex, usize>,
) -> Vec<Option<(f64, usize)>> {
    haul_field_to(map, rules, weather, occ, side, points, &[])
}

/// [`haul_field`], worked out only as far as the hauls to the cells `wanted` (indices) need:
/// the search stops once every wanted cell's haul is final. Their hauls (and depots) are
/// those of the whole field; other cells may be left unreached. With nothing wanted, the
/// whole field. Resupply asks this for the cells its units stand on: the haul is a search
/// outward from the depots, and most of a side's units stand much nearer them than the
/// greatest haul reaches.
pub fn haul_field_to(
    map: &Map,
    rules: &RulesFile,
    weather: &CurrentWeather,
    occ: &Occupancy,
    side: Side,
    points: &BTreeMap<Hex, usize>,
    wanted: &[usize],
) -> Vec<Option<(f64, usize)>> {
    let mut best: Vec<Option<(f64, usize)>> = vec![None; map.cells.len()];
    let mut heap = BinaryHeap::new();
    for (&h, &d) in points {
        if let Some(i) = map.index(h) {
            best[i] = Some((0.0, d));
            heap.push(Reverse((0u64, i as u32)));
        }
    }
    let max = rules.supply.max_haul_km;
    // Hexes lorries cannot enter (marsh, say) are reached by porters and pack horses from the
    // last hex a lorry reaches: a final step on foot, at its foot cost, that goes no further.
    let mut carried = vec![false; map.cells.len()];
    let (lorries, porters) = (
        occ.steps(rules, Mobility::Motorised),
        occ.steps(rules, Mobility::Foot),
    );
    let ground = occ.ground(map, rules);
    let cells = weather.cells();
    // The wanted cells not yet reached, and once all are, the key (m, truncated) from which
    // none of their hauls can shrink (see `final_beyond`).
    let mut is_wanted = vec![false; map.cells.len()];
    for &w in wanted {
        is_wanted[w] = true;
    }
    let mut unreached = (0..is_wanted.len())
        .filter(|&i| is_wanted[i] && best[i].is_none())
        .count();
    // No haul starting beyond the longest wanted one (and a metre) shortens any of them,
    // since no step costs less than nothing.
    let final_beyond = |best: &[Option<(f64, usize)>]| {
        wanted
            .iter()
            .filter_map(|&w| best[w])
            .map(|(b, _)| (b * 1000.0) as u64 + 1)
            .max()
            .unwrap_or(u64::MAX)
    };
    let mut stop_at = if !wanted.is_empty() && unreached == 0 {
        final_beyond(&best)
    } else {
        u64::MAX
    };
    while let Some(Reverse((c, ix))) = heap.pop() {
        let ix = ix as usize;
        if c >= stop_at {
            break;
        }
        let Some((here_km, depot)) = best[ix] else {
            continue;
        };
        if (here_km * 1000.0) as u64 != c || carried[ix] {
            continue;
        }
        // Lorries do not drive on through ground the enemy covers, except where their own
        // troops stand: a line of units at the border is supplied from behind it.
        if occ.enemy_zoc_at(ix, side) && here_km > 0.0 && occ.points_at(ix, side) == 0 {
            continue;
        }
        for dir in 0..6 {
            let Some(nx) = ground.neighbour(ix, dir) else {
                continue;
            };
            if occ.enemy_in_at(nx, side) {
                continue;
            }
            let w = cells.get(nx).copied().unwrap_or(Weather::Dry);
            let (step, by_hand) = match ground.step(lorries, ix, dir, w) {
                Some(s) => (s, false),
                None => match ground.step(porters, ix, dir, w) {
                    Some(s) => (s, true),
                    None => continue,
                },
            };
            let mut km = step.km;
            if step.whole_turn.is_some() {
                km += map.hex_km() * 2.0;
            }
            let nk = here_km + km;
            if nk > max {
                continue;
            }
            if best[nx].is_none_or(|(b, _)| nk < b - 1e-9) {
                let first = best[nx].is_none();
                best[nx] = Some((nk, depot));
                carried[nx] = by_hand;
                if first && is_wanted[nx] {
                    unreached -= 1;
                    if unreached == 0 {
                        stop_at = final_beyond(&best);
                    }
                }
                heap.push(Reverse(((nk * 1000.0) as u64, nx as u32)));
            }
        }
    }
    best
}

/// The pool of lorries serving a unit: the nearest formation up its chain that has one.
pub fn pool_for(oob: &OrderOfBattle, pools: &TruckPools, parent: FormationId) -> Option<usize> {
    oob.chain(parent)
        .find_map(|f| pools.pools.iter().position(|p| p.formation == f.id))
}

/// Ton-km a pool can haul in one turn (loaded one way, empty back) at lorry speed.
pub fn pool_ton_km(rules: &RulesFile, trucks: u32, turn_hours: u32) -> f64 {
    let s = &rules.supply;
    trucks as f64
        * s.truck_capacity_t
        * s.truck_speed_km_h
        * s.truck_hours_per_day
        * (turn_hours as f64 / 24.0)
        / 2.0
}

/// Fuel lorries burn to carry `tons` over `haul_km` and come back empty, t.
pub fn truck_fuel_t(rules: &RulesFile, tons: f64, haul_km: f64) -> f64 {
    let v = &rules.vehicles;
    let truck_km = tons / rules.supply.truck_capacity_t * haul_km * 2.0;
    truck_km * v.vehicle_refill_t * v.vehicle_refills_per_100km / 100.0
}

/// 1. Trains arrive at the railheads of the side to move.
fn trains_arrive(
    cal: Res<Calendar>,
    rules: Res<Rules>,
    mut depots: ResMut<Depots>,
    mut ledger: ResMut<FuelLedger>,
) {
    let s = &rules.0.supply;
    let hours = cal.turn_hours as f64;
    let mut arrived = 0.0;
    for d in depots
        .depots
        .iter_mut()
        .filter(|d| d.side == cal.active && d.kind == DepotKind::Railhead)
    {
        let t = d.rail_t_per_day * hours / 24.0;
        d.fuel_t += t * s.rail_share_fuel;
        d.ammo_t += t * s.rail_share_ammo;
        d.food_t += t * s.rail_share_food;
        arrived += t * s.rail_share_fuel;
    }
    ledger.side(cal.active).arrived_t += arrived;
}

/// What the lorries' phase reads and writes of a unit.
type HaulRow = (
    Entity,
    &'static UnitId,
    &'static UnitName,
    &'static Allegiance,
    &'static Kind,
    &'static Position,
    &'static Strength,
    &'static mut Stocks,
    &'static Readiness,
    Option<&'static Destination>,
    &'static Parent,
    &'static Capacity,
    Option<&'static mut SupplyState>,
);

/// 2 and 3. Where the side's lorries can load and how far each hex is from it (railways
/// repaired since the last turn announced); then the lorries haul, pool by pool, the
/// neediest units first.
fn haul_supplies(
    cal: Res<Calendar>,
    rules: Res<Rules>,
    map: Res<Map>,
    going: Res<super::movement::Going>,
    weather: Res<CurrentWeather>,
    captures: Res<RailCaptures>,
    oob: Res<OrderOfBattle>,
    pools: Res<TruckPools>,
    mut depots: ResMut<Depots>,
    mut ledger: ResMut<FuelLedger>,
    mut log: ResMut<EventLog>,
    index: Res<super::index::UnitIndex>,
    mut units: Query<HaulRow, InField>,
) {
    let rules = &rules.0;
    let side = cal.active;
    let mut events: Vec<GameEvent> = Vec::new();
    let views = super::movement::views(
        units
            .iter()
            .map(|(_, id, n, a, k, p, s, st, r, d, ..)| (id, n, a, k, p, s, st, r, d)),
    );
    let occ = Occupancy::sharing(&going, &map, rules, &views);
    let repair = repair_turns(rules, cal.turn_hours);
    for (h, (holder, t0)) in &captures.taken {
        if *holder == side
            && cal.turn == t0 + repair
            && map.initial_owner(*h) != Some(side)
            && map.cell(*h).is_some_and(|c| c.place.is_some())
        {
            events.push(GameEvent::RailRepaired { at: *h, side });
        }
    }
    let points = supply_points(&map, &depots, &captures, &occ, side, cal.turn, repair);
    let wanted: Vec<usize> = views
        .iter()
        .filter(|u| u.side == side)
        .filter_map(|u| map.index(u.hex))
        .collect();
    let field = haul_field_to(&map, rules, &weather, &occ, side, &points, &wanted);

    let fuel_share: BTreeMap<UnitId, f64> = units
        .iter()
        .map(|r| {
            let (s, c) = (&r.7, r.11);
            (
                *r.1,
                if c.fuel_t > 0.0 {
                    s.fuel_t / c.fuel_t
                } else {
                    1.0
                },
            )
        })
        .collect();
    let mut lift_left: Vec<f64> = pools
        .pools
        .iter()
        .map(|p| pool_ton_km(rules, p.trucks, cal.turn_hours))
        .collect();
    let mut order: Vec<&UnitView> = views.iter().filter(|u| u.side == side).collect();
    order.sort_by(|a, b| {
        fuel_share[&a.id]
            .total_cmp(&fuel_share[&b.id])
            .then(a.id.cmp(&b.id))
    });
    let ledger = ledger.side(side);
    let hours = cal.turn_hours as f64;
    for u in order {
        let (.., mut stocks, _, _, parent, cap, state) = units
            .get_mut(index.get(u.id).expect("every unit id has an entity"))
            .expect("every unit has what supply reads");
        // A unit without a supply record is supplied all the same; there is only nothing to
        // remember of it.
        let mut spare = SupplyState::default();
        let state = match state {
            Some(s) => s.into_inner(),
            None => &mut spare,
        };
        let cap = *cap;
        let reach = map.index(u.hex).and_then(|i| field[i]);
        let pool = pool_for(&oob, &pools, parent.0);
        let Some((haul, depot)) = reach else {
            if state.turns_cut == 0 {
                events.push(GameEvent::SupplyCut {
                    unit: u.id,
                    at: u.hex,
                });
            }
            state.turns_cut += 1;
            state.turns_besieged = 0;
            state.depot = None;
            state.haul_km = None;
            continue;
        };
        // Fed from the stores of its own hex with the enemy beside it: invested, its lines
        // to its command cut.
        let besieged = depots.depots[depot].hex == u.hex && occ.enemy_zoc(&map, u.hex, side);
        state.turns_besieged = if besieged {
            state.turns_besieged + 1
        } else {
            0
        };
        let haul = haul.max(rules.supply.local_haul_km);
        state.depot = Some(depots.depots[depot].name.clone());
        state.haul_km = Some(round_to(haul, 1));
        let day_food =
            u.strength.men as f64 / 1000.0 * rules.supply.food_t_per_1000_men_day * hours / 24.0;
        let need_food = (cap.food_t - stocks.food_t + day_food).max(0.0);
        let need_fuel = (cap.fuel_t - stocks.fuel_t).max(0.0);
        let need_ammo = (cap.ammo_t - stocks.ammo_t).max(0.0);
        let need = need_food + need_fuel + need_ammo;
        if need <= 1e-6 {
            state.turns_cut = 0;
            continue;
        }
        let speed = weather_truck_speed(rules, weather.at(&map, u.hex));
        // A unit next to its depot or railway draws without lorries of its own pool.
        let lift_t = match pool {
            _ if haul <= rules.supply.local_haul_km + 1e-9 => need,
            Some(p) => lift_left[p] * speed / haul,
            None => 0.0,
        };
        let d = &mut depots.depots[depot];
        let mut limited = SupplyLimit::Nothing;
        let scale = if lift_t < need {
            limited = SupplyLimit::TruckLift;
            lift_t / need
        } else {
            1.0
        };
        let mut take = |want: f64, stock: &mut f64| {
            let got = (want * scale).min(*stock).max(0.0);
            if got + 1e-9 < want * scale {
                limited = SupplyLimit::DepotStock;
            }
            *stock -= got;
            got
        };
        let food = take(need_food, &mut d.food_t);
        let fuel = take(need_fuel, &mut d.fuel_t);
        let ammo = take(need_ammo, &mut d.ammo_t);
        let moved = food + fuel + ammo;
        if moved <= 1e-9 {
            state.turns_cut += 1;
            events.push(GameEvent::SupplyDelivered {
                unit: u.id,
                depot: d.name.clone(),
                haul_km: round_to(haul, 1),
                fuel_t: 0.0,
                ammo_t: 0.0,
                food_t: 0.0,
                limited_by: limited,
            });
            continue;
        }
        // The lorries' own fuel comes out of the same depot.
        let truck_fuel = if haul > rules.supply.local_haul_km + 1e-9 {
            truck_fuel_t(rules, moved, haul).min(d.fuel_t)
        } else {
            0.0
        };
        d.fuel_t -= truck_fuel;
        ledger.burned_trucks_t += truck_fuel;
        ledger.trucked_t += fuel;
        if let Some(p) = pool
            && haul > rules.supply.local_haul_km + 1e-9
        {
            lift_left[p] = (lift_left[p] - moved * haul / speed).max(0.0);
        }
        stocks.food_t += food;
        stocks.fuel_t += fuel;
        stocks.ammo_t += ammo;
        state.turns_cut = 0;
        events.push(GameEvent::SupplyDelivered {
            unit: u.id,
            depot: d.name.clone(),
            haul_km: round_to(haul, 1),
            fuel_t: round_to(fuel, 2),
            ammo_t: round_to(ammo, 2),
            food_t: round_to(food, 2),
            limited_by: limited,
        });
    }
    super::log_at(&mut log, &cal, events);
}

/// 4. Everyone of the side to move eats; those with nothing go hungry.
fn eat(
    cal: Res<Calendar>,
    rules: Res<Rules>,
    mut log: ResMut<EventLog>,
    mut commands: Commands,
    mut units: Query<
        (
            Entity,
            &UnitId,
            &Allegiance,
            &mut Stocks,
            &mut Strength,
            &mut Readiness,
        ),
        (With<SupplyState>, InField),
    >,
) {
    let s = &rules.0.supply;
    let hours = cal.turn_hours as f64;
    let mut rows: Vec<_> = units
        .iter_mut()
        .filter(|(_, _, a, ..)| a.side == cal.active)
        .collect();
    rows.sort_by_key(|(_, id, ..)| **id);
    let mut events = Vec::new();
    for (entity, id, _, mut stocks, mut strength, mut readiness) in rows {
        let eat = strength.men as f64 / 1000.0 * s.food_t_per_1000_men_day * hours / 24.0;
        if stocks.food_t + 1e-9 >= eat {
            stocks.food_t -= eat;
        } else {
            let short = 1.0 - stocks.food_t / eat.max(1e-9);
            stocks.food_t = 0.0;
            let men_lost =
                (strength.men as f64 * s.hunger_men_per_day * hours / 24.0 * short).round() as u32;
            strength.men = strength.men.saturating_sub(men_lost);
            if strength.men == 0 {
                commands.entity(entity).insert(OutOfAction);
            }
            readiness.0 =
                (readiness.0 - s.hunger_readiness_per_day * hours / 24.0 * short).max(0.0);
            events.push(GameEvent::UnitHungry {
                unit: *id,
                men_lost,
                readiness: round_to(readiness.0, 3),
            });
        }
    }
    super::log_at(&mut log, &cal, events);
}

fn weather_truck_speed(rules: &RulesFile, w: Weather) -> f64 {
    rules
        .weather
        .get(&w)
        .map_or(1.0, |e| e.truck_speed)
        .max(0.05)
}

/// Fuel a side holds: in its units and its depots, t.
pub fn fuel_held(world: &mut World, side: Side) -> f64 {
    let mut q = world.query::<(&Allegiance, &Stocks)>();
    let units: f64 = q
        .iter(world)
        .filter(|(a, _)| a.side == side)
        .map(|(_, s)| s.fuel_t)
        .sum();
    let depots: f64 = world
        .resource::<Depots>()
        .depots
        .iter()
        .filter(|d| d.side == side)
        .map(|d| d.fuel_t)
        .sum();
    units + depots
}

/// Depots standing in places that changed hands go over to the captor, stores and all;
/// but not while their own side still stands in the hex (a garrison in its works keeps its
/// magazine when the town falls).
pub fn capture_depots(
    cal: Res<Calendar>,
    map: Res<Map>,
    control: Res<Control>,
    mut depots: ResMut<Depots>,
    mut ledger: ResMut<FuelLedger>,
    mut log: ResMut<EventLog>,
    units: Query<(&Allegiance, &Position), InField>,
) {
    let mut events = Vec::new();
    for d in depots.depots.iter_mut() {
        let Some(p) = d.place else { continue };
        let Some(owner) = control.owner[p.0 as usize] else {
            continue;
        };
        if owner == d.side {
            continue;
        }
        let hex = map.place(p).hex;
        if units
            .iter()
            .any(|(a, pos)| a.side == d.side && pos.0 == hex)
        {
            continue;
        }
        ledger.side(d.side).captured_out_t += d.fuel_t;
        ledger.side(owner).captured_in_t += d.fuel_t;
        events.push(GameEvent::DepotCaptured {
            depot: d.name.clone(),
            by: owner,
            fuel_t: round_to(d.fuel_t, 1),
            ammo_t: round_to(d.ammo_t, 1),
            food_t: round_to(d.food_t, 1),
        });
        d.side = owner;
        // The captor's trains do not run to it until the line is repaired and joined.
        d.rail_t_per_day = 0.0;
    }
    super::log_at(&mut log, &cal, events);
}

/// The railway hexes in a set of hexes (for overlays and explanations).
pub fn rail_hexes(map: &Map) -> BTreeSet<Hex> {
    map.hexes()
        .filter(|h| {
            map.cell(*h)
                .is_some_and(|c| c.edges.iter().any(|e| e.rail.is_some()))
        })
        .collect()
}
