//! The AI plans format: each side's axes of advance, beliefs about the enemy and forward
//! detachments.

use serde::{Deserialize, Serialize};

use super::scenario::Location;

/// `scenarios/*_plan.ron`: the documented operational plans the AI commanders follow.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    pub soviet: SidePlan,
    pub japanese: SidePlan,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SidePlan {
    /// Axes of advance: formations and the places they make for, in order.
    pub axes: Vec<Axis>,
    /// Places the side falls back on when beaten (the redoubt).
    pub redoubt: Vec<String>,
    /// Formations the transport aviation serves first.
    pub airlift_priority: Vec<String>,
    /// Attack when the odds are at least this.
    pub attack_odds: f64,
    /// Attack at these odds or better where the enemy bars a unit's only way to its
    /// objective: a commander held to a timetable accepts a costlier fight rather than wait
    /// (absent: `attack_odds`, as anywhere else).
    #[serde(default)]
    pub barred_attack_odds: Option<f64>,
    /// The enemy also bars the way where the way round it is more than this many times as
    /// long as the way through it (absent: only where there is no way round at all).
    #[serde(default)]
    pub barred_detour: Option<f64>,
    /// When the lead unit of a formation runs short of fuel, the formation's units beside it
    /// hand it theirs (absent: never).
    #[serde(default)]
    pub forward_detachments: Option<ForwardDetachments>,
    /// Fall back when the enemy beside a unit is this many times stronger.
    pub fall_back_odds: f64,
    /// Leave a fortified place to a blockade rather than storm it below these odds.
    pub storm_fort_odds: f64,
    /// Where the side believes the enemy stands at the start (its picture before contact).
    #[serde(default)]
    pub believed_enemy: Vec<BelievedEnemy>,
    /// Cities to fly detachments into once their garrisons have heard the cease-fire, in
    /// order of priority.
    #[serde(default)]
    pub air_landing_targets: Vec<String>,
    /// Ports to land troops in from the sea, in order of priority.
    #[serde(default)]
    pub sea_landing_targets: Vec<String>,
    pub source: String,
}

/// An enemy force a side believes is there, before it has seen anything.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BelievedEnemy {
    pub at: Location,
    pub men: u32,
    pub source: String,
}

/// Fuelling a forward detachment from the main body.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForwardDetachments {
    /// The lead unit draws fuel when it holds less than this many refills.
    pub below_refills: f64,
    /// It draws until it holds this many refills, or its neighbours have none left.
    pub fill_refills: f64,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Axis {
    pub formations: Vec<String>,
    pub objectives: Vec<String>,
    /// How many of the objectives not yet taken the formations go for at once, side by side
    /// (the directive's "Lubei–Tuquan, then Changchun–Mukden"): once the head of the
    /// formation is as near the next objective as the others are to it, the units are shared
    /// out evenly among them, each to those nearest it. 1 (the default): all on the next.
    #[serde(default = "one_abreast")]
    pub abreast: usize,
    pub source: String,
}

fn one_abreast() -> usize {
    1
}
