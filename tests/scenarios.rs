//! The shipped scenarios and map: they load clean, the order of battle matches the
//! documented totals, and every place sits where it is on the ground.

use crate::common;

use august_storm::cli::info::to_json;
use august_storm::model::{LatLon, Side, UnitKind};
use august_storm::report::totals_under;
use august_storm::rules::check_file;
use august_storm::scenario::load_scenario;
use common::*;

const CANONICAL: &[&str] = &[
    "Hailar",
    "Manzhouli",
    "Zhalainor",
    "Halun-Arshan",
    "Solun",
    "Wangyemiao",
    "Taonan",
    "Tuquan",
    "Lubei",
    "Tongliao",
    "Kailu",
    "Qiqihar",
    "Harbin",
    "Changchun",
    "Jilin",
    "Mukden",
    "Siping",
    "Mudanjiang",
    "Muleng",
    "Linkou",
    "Suifenhe",
    "Dongning",
    "Hutou",
    "Boli",
    "Mishan",
    "Jiamusi",
    "Fujin",
    "Sunwu",
    "Aihui",
    "Heihe",
    "Bei'an",
    "Port Arthur",
    "Dalian",
    "Anshan",
    "Chengde",
    "Chifeng",
    "Kalgan",
    "Dolon Nur",
    "Dunhua",
    "Yanji",
    "Wangqing",
    "Tumen",
    "Hunchun",
    "Tonghua",
    "Dandong",
    "Unggi",
    "Najin",
    "Chongjin",
    "Hamhung",
    "Wonsan",
    "Pyongyang",
    "Blagoveshchensk",
    "Khabarovsk",
    "Vladivostok",
    "Iman",
    "Grodekovo",
    "Chita",
    "Borzya",
    "Choibalsan",
    "Tamsag-Bulag",
    "Zamyn-Uud",
];

#[test]
fn every_shipped_data_file_checks_clean() {
    let mut files = vec![];
    for dir in [
        "scenarios",
        "scenarios/maps",
        "scenarios/what_ifs",
        "scenarios/orders",
    ] {
        let Ok(entries) = std::fs::read_dir(root().join(dir)) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "ron") {
                files.push(p);
            }
        }
    }
    assert!(files.len() >= 5, "{files:?}");
    for f in files {
        if f.parent().is_some_and(|p| p.ends_with("orders")) {
            let r = august_storm::cli::simulate::load_orders(&f);
            assert!(r.is_ok(), "{}: {:#?}", f.display(), r.err());
            continue;
        }
        let d = check_file(&f);
        assert!(
            d.is_empty(),
            "{} is not clean:\n{}",
            f.display(),
            d.iter().map(|x| x.to_string()).collect::<String>()
        );
    }
}

#[test]
fn the_map_covers_the_theatre_with_hexes_no_wider_than_25_km() {
    let s = load_scenario(&historical()).unwrap();
    let map = &s.map;
    assert!(map.hex_km() <= 25.0);
    for (lat, lon) in [
        (37.5, 111.0),
        (37.5, 136.0),
        (53.5, 111.0),
        (53.5, 136.0),
        (45.0, 123.5),
    ] {
        assert!(
            map.contains(map.hex_at(LatLon::new(lat, lon))),
            "({lat}, {lon}) is off the map"
        );
    }
    // Every hex knows its latitude and longitude: the centre of the hex holding a point is
    // within one hex of it.
    for (lat, lon) in [(40.0, 115.0), (52.0, 130.0), (38.0, 126.0)] {
        let p = LatLon::new(lat, lon);
        let c = map.center(map.hex_at(p));
        assert!(c.distance_km(p) <= map.hex_km(), "{lat},{lon}: {c:?}");
    }
}

#[test]
fn every_canonical_place_is_on_the_map_within_one_hex_of_its_coordinates() {
    let s = load_scenario(&historical()).unwrap();
    let map = &s.map;
    for name in CANONICAL {
        let p = map
            .places
            .iter()
            .find(|p| p.name == *name)
            .unwrap_or_else(|| panic!("{name} is missing"));
        let containing = map.hex_at(p.at);
        assert!(
            containing.distance(p.hex) <= 1,
            "{name} sits in {} but its coordinate is in {containing}",
            p.hex
        );
        let c = map.center(p.hex);
        assert!(
            c.distance_km(p.at) <= map.hex_km() * 1.5,
            "{name}: hex centre {c:?} is {:.1} km from {:?}",
            c.distance_km(p.at),
            p.at
        );
    }
}

#[test]
fn the_places_on_each_side_of_the_border_start_with_the_right_owner() {
    use august_storm::model::Side::*;
    let s = load_scenario(&historical()).unwrap();
    let owner = |n: &str| s.map.place_named(n).unwrap().initial_owner;
    for n in [
        "Blagoveshchensk",
        "Khabarovsk",
        "Vladivostok",
        "Iman",
        "Grodekovo",
        "Chita",
        "Borzya",
        "Choibalsan",
        "Tamsag-Bulag",
        "Zamyn-Uud",
    ] {
        assert_eq!(owner(n), Some(Soviet), "{n}");
    }
    for n in [
        "Heihe",
        "Hutou",
        "Suifenhe",
        "Manzhouli",
        "Hunchun",
        "Kalgan",
        "Pyongyang",
        "Port Arthur",
        "Harbin",
    ] {
        assert_eq!(owner(n), Some(Japanese), "{n}");
    }
}

#[test]
fn each_soviet_front_matches_the_documented_totals_within_five_percent() {
    let s = load_scenario(&historical()).unwrap();
    // [SEED-WIKI] table, data.md §1a.2: men, guns, MRL, tanks/SPGs, aircraft.
    let documented = [
        ("Transbaikal Front", 654_040, 9_668, 583, 2_416, 1_324),
        ("1st Far Eastern Front", 586_589, 11_430, 516, 1_860, 1_137),
        ("2nd Far Eastern Front", 337_096, 5_988, 72, 1_280, 1_260),
    ];
    for (front, men, guns, mrl, tanks, aircraft) in documented {
        let f = s
            .formations
            .iter()
            .find(|f| f.name == front)
            .unwrap_or_else(|| panic!("{front} missing"));
        let t = totals_under(&s, f.id);
        for (what, got, want) in [
            ("men", t.men, men),
            ("guns", t.guns, guns),
            ("MRL", t.mrl, mrl),
            ("tanks", t.tanks, tanks),
            ("aircraft", t.aircraft, aircraft),
        ] {
            let off = (got as f64 / want as f64 - 1.0).abs();
            assert!(
                off <= 0.05,
                "{front} {what}: {got} against {want} ({:.1}%)",
                off * 100.0
            );
        }
    }
}

#[test]
fn every_unit_has_a_source_and_its_parent_chain_reaches_its_side_high_command() {
    let s = load_scenario(&historical()).unwrap();
    for u in &s.units {
        assert!(
            !u.def.source.trim().is_empty(),
            "{} has no source",
            u.def.name
        );
        let top = s.formations[u.parent.0 as usize].clone();
        let mut cur = top;
        while let Some(p) = cur.parent {
            cur = s.formations[p.0 as usize].clone();
        }
        assert_eq!(cur.side, u.def.side, "{}", u.def.name);
    }
}

#[test]
fn the_historical_order_of_battle_holds_the_documented_formations() {
    let s = load_scenario(&historical()).unwrap();
    let has_formation = |n: &str| s.formations.iter().any(|f| f.name == n);
    let has_unit = |n: &str| s.units.iter().any(|u| u.def.name == n);
    for f in [
        "Transbaikal Front",
        "1st Far Eastern Front",
        "2nd Far Eastern Front",
        "6th Guards Tank Army",
        "36th Army",
        "39th Army",
        "17th Army",
        "53rd Army",
        "1st Red Banner Army",
        "5th Army",
        "25th Army",
        "35th Army",
        "2nd Red Banner Army",
        "15th Army",
        "12th Air Army",
        "Amur Military Flotilla",
        "First Area Army",
        "Third Area Army",
        "44th Army",
        "30th Army",
    ] {
        assert!(has_formation(f), "formation {f}");
    }
    for u in [
        "5th Guards Tank Corps",
        "7th Mechanized Corps",
        "9th Guards Mechanized Corps",
        "205th Tank Brigade",
        "10th Mechanized Corps",
        "75th Tank Brigade",
        "393rd Rifle Division",
        "59th Cavalry Division",
    ] {
        assert!(has_unit(u), "unit {u}");
    }
}

#[test]
fn info_json_gives_places_with_true_and_hex_coordinates_and_per_front_totals() {
    let s = load_scenario(&historical()).unwrap();
    let j = to_json(&s);
    assert_eq!(j["hex_km"], 20.0);
    let places = j["places"].as_array().unwrap();
    assert!(places.len() >= CANONICAL.len());
    let hailar = places.iter().find(|p| p["name"] == "Hailar").unwrap();
    for k in ["lat", "lon", "hex_lat", "hex_lon"] {
        assert!(hailar[k].is_f64(), "{k}");
    }
    assert!((hailar["lat"].as_f64().unwrap() - hailar["hex_lat"].as_f64().unwrap()).abs() < 0.2);
    assert!(j["sides"]["soviet"]["men"].as_u64().unwrap() > 1_500_000);
    let fronts = j["fronts"].as_array().unwrap();
    let tb = fronts
        .iter()
        .find(|f| f["name"] == "Transbaikal Front")
        .unwrap();
    assert_eq!(tb["totals"]["tanks"], 2416);
    assert_eq!(tb["documented"]["tanks"], 2416);
    // The share of men in combat units, set against the documented share: the support
    // groups (not combat units) are every man not counted in it.
    let shares = j["combat_shares"].as_array().unwrap();
    let soviet = shares.iter().find(|x| x["side"] == "Soviet").unwrap();
    assert_eq!(soviet["documented"], 0.67);
    let support: i64 = s
        .units
        .iter()
        .filter(|u| u.def.side == Side::Soviet && u.def.kind == UnitKind::SupportGroup)
        .map(|u| u.def.men)
        .sum();
    let men = j["sides"]["soviet"]["men"].as_f64().unwrap();
    let share = soviet["scenario"].as_f64().unwrap();
    assert!(
        (share - (1.0 - support as f64 / men)).abs() < 0.001,
        "{share} with {support} of {men} men in support groups"
    );
}

/// The title screen offers the scenarios of the folder by the names their files give them:
/// the campaign first, then the smaller scenario cut from it; the maps, rules, logistics,
/// plans, calibration and sweeps beside them are not scenarios.
#[test]
fn the_scenarios_folder_lists_its_scenarios_by_their_own_names_the_campaign_first() {
    let dir = root().join("scenarios");
    let list = august_storm::scenario::catalogue::scenarios_in(&dir);
    let files: Vec<String> = list
        .iter()
        .map(|s| s.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["august_storm_1945.ron", "across_the_khingan.ron"]);
    for s in &list {
        let file = load_scenario(&s.path)
            .unwrap_or_else(|d| panic!("{d:?}"))
            .file;
        assert_eq!((&s.name, &s.description), (&file.name, &file.description));
    }
    // A folder with a broken scenario and a file of another kind lists neither.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("broken.ron"), "ScenarioFile(name: \"x\",").unwrap();
    std::fs::copy(dir.join("rules.ron"), tmp.path().join("rules.ron")).unwrap();
    assert!(august_storm::scenario::catalogue::scenarios_in(tmp.path()).is_empty());
}
