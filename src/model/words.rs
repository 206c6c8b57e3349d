//! Plain words for what the model names by identifiers: kinds of unit, ground, depot and
//! weather, battle results, sides, numbers with thousands separators and short dates. The
//! window, the command line and the reports all write through these, so that a player reads
//! "tank corps", "sand desert" and "815,076", never `TankCorps` or `815076`.

use std::fmt;

use super::events::{BattleResult, HaltReason, SurrenderReason};
use super::logistics::{DepotKind, Weather};
use super::map::TerrainKind;
use super::units::{FormationKind, Nation, Side, UnitKind};

impl fmt::Display for UnitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UnitKind::RifleDivision => "rifle division",
            UnitKind::MotorRifleDivision => "motor rifle division",
            UnitKind::TankDivision => "tank division",
            UnitKind::TankCorps => "tank corps",
            UnitKind::MechanizedCorps => "mechanised corps",
            UnitKind::TankBrigade => "tank brigade",
            UnitKind::MotorRifleBrigade => "motor rifle brigade",
            UnitKind::RifleBrigade => "rifle brigade",
            UnitKind::CavalryDivision => "cavalry division",
            UnitKind::ArtilleryDivision => "artillery division",
            UnitKind::ArtilleryBrigade => "artillery brigade",
            UnitKind::AntiTankBrigade => "anti-tank brigade",
            UnitKind::FortifiedRegionGarrison => "fortified-region garrison",
            UnitKind::NavalInfantryBrigade => "naval infantry brigade",
            UnitKind::SupportGroup => "army troops",
            UnitKind::InfantryDivision => "infantry division",
            UnitKind::IndependentMixedBrigade => "independent mixed brigade",
            UnitKind::IndependentTankBrigade => "independent tank brigade",
            UnitKind::BorderGarrison => "border garrison",
            UnitKind::CavalryBrigade => "cavalry brigade",
            UnitKind::AirborneDetachment => "airborne detachment",
        })
    }
}

impl fmt::Display for FormationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FormationKind::HighCommand => "high command",
            FormationKind::Front => "front",
            FormationKind::AreaArmy => "area army",
            FormationKind::Army => "army",
            FormationKind::TankArmy => "tank army",
            FormationKind::Group => "cavalry-mechanised group",
            FormationKind::Corps => "corps",
            FormationKind::AirArmy => "air army",
            FormationKind::Flotilla => "flotilla",
            FormationKind::Fleet => "fleet",
        })
    }
}

impl fmt::Display for TerrainKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TerrainKind::Steppe => "steppe",
            TerrainKind::SandDesert => "sand desert",
            TerrainKind::Farmland => "farmland",
            TerrainKind::Hills => "hills",
            TerrainKind::ForestedHills => "forested hills",
            TerrainKind::Mountains => "mountains",
            TerrainKind::Taiga => "taiga",
            TerrainKind::Marsh => "marsh",
            TerrainKind::Lake => "lake",
            TerrainKind::Sea => "sea",
        })
    }
}

impl fmt::Display for DepotKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DepotKind::Railhead => "railhead",
            DepotKind::FieldDepot => "field depot",
            DepotKind::CityDepot => "city depot",
        })
    }
}

impl fmt::Display for Weather {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Weather::Dry => "dry",
            Weather::Rain => "rain",
            Weather::Downpour => "downpour",
        })
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Soviet => "Soviet",
            Side::Japanese => "Japanese",
        })
    }
}

impl fmt::Display for Nation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Nation::Soviet => "Soviet",
            Nation::Mongolian => "Mongolian",
            Nation::Japanese => "Japanese",
            Nation::Manchukuo => "Manchukuo",
            Nation::Mengjiang => "Mengjiang",
        })
    }
}

impl fmt::Display for BattleResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BattleResult::Repulsed => "attack repulsed",
            BattleResult::Held => "defenders held",
            BattleResult::Retreated => "defenders fell back",
            BattleResult::Routed => "defenders routed",
            BattleResult::Overrun => "defenders overrun",
        })
    }
}

impl fmt::Display for SurrenderReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SurrenderReason::Surrounded => "beaten while surrounded",
            SurrenderReason::CutOff => "cut off and starving",
            SurrenderReason::Ceasefire => "obeying the cease-fire",
        })
    }
}

impl fmt::Display for HaltReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HaltReason::ZoneOfControl => "halted beside the enemy",
            HaltReason::MovementSpent => "its movement for the turn is spent",
            HaltReason::OutOfFuel => "out of fuel",
            HaltReason::Blocked => "no route leads on",
            HaltReason::PathBlocked => "its path is blocked",
        })
    }
}

/// A whole number with thousands separators: 815076 → "815,076".
pub fn thousands(n: impl Into<i128>) -> String {
    let n: i128 = n.into();
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// A rounded amount with thousands separators: 1234.6 → "1,235".
pub fn amount(x: f64) -> String {
    if x.is_finite() {
        thousands(x.round() as i128)
    } else {
        "—".into()
    }
}

/// A local ISO time as a player reads it: "1945-08-13T00:01" → "13 Aug, 00:01". Text that is
/// not such a time is returned as it is.
pub fn short_date(iso: &str) -> String {
    use super::time::{display_local, parse_local};
    match parse_local(iso) {
        // A bare date has no time of day to show.
        Some(t) if iso.trim().len() == 10 => t.format("%-d %b").to_string(),
        Some(t) => display_local(t),
        None => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_carry_thousands_separators() {
        assert_eq!(thousands(815076u32), "815,076");
        assert_eq!(thousands(999u32), "999");
        assert_eq!(thousands(-1234567i64), "-1,234,567");
        assert_eq!(amount(1234.6), "1,235");
    }

    #[test]
    fn dates_read_as_day_month_and_time() {
        assert_eq!(short_date("1945-08-13T00:01"), "13 Aug, 00:01");
        assert_eq!(short_date("1945-09-02"), "2 Sep");
        assert_eq!(short_date("soon"), "soon");
    }

    #[test]
    fn kinds_read_as_words() {
        assert_eq!(UnitKind::TankCorps.to_string(), "tank corps");
        assert_eq!(TerrainKind::SandDesert.to_string(), "sand desert");
        assert_eq!(DepotKind::FieldDepot.to_string(), "field depot");
    }
}
