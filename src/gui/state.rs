//! What the window holds of its own, beside the game: the screen shown, who commands which
//! side, how the window was launched, and what the player has chosen on screen.

use std::path::PathBuf;

use bevy::prelude::*;

use crate::model::*;

/// App flow (turns and phases live in the model, not here).
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    #[default]
    Title,
    Playing,
    /// Between two human players: the map is hidden until the next one is ready.
    Handover,
    Debrief,
}

/// Who commands which side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Play(Side),
    Hotseat,
    Watch,
    /// A saved game watched again in the replay viewer: nobody gives orders.
    Replay,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "soviet" => Some(Mode::Play(Side::Soviet)),
            "japanese" => Some(Mode::Play(Side::Japanese)),
            "hotseat" => Some(Mode::Hotseat),
            "watch" => Some(Mode::Watch),
            _ => None,
        }
    }

    pub fn human(self, s: Side) -> bool {
        match self {
            Mode::Play(side) => side == s,
            Mode::Hotseat => true,
            Mode::Watch | Mode::Replay => false,
        }
    }
}

/// How the window was asked to start.
#[derive(Resource, Debug, Clone)]
pub struct Launch {
    pub scenario: PathBuf,
    pub mode: Mode,
    pub load: Option<PathBuf>,
    /// A save to watch again in the replay viewer.
    pub replay: Option<PathBuf>,
    pub screenshot: Option<PathBuf>,
    pub frames: u32,
    /// Where to write the frame times of the script's run, then exit.
    pub frame_times: Option<PathBuf>,
    pub script: Option<String>,
    pub what_ifs: Vec<String>,
    /// Start straight on the map (command-line choices given), not on the title screen.
    pub skip_title: bool,
    /// A game by e-mail: the window plays the player's phase and writes the turn to send.
    pub pbem: Option<crate::pbem::WindowGame>,
}

/// The files of a game by e-mail as typed on the title screen, and what the last button
/// did (an error, or what to do next).
#[derive(Debug, Clone, Default)]
pub struct PbemForm {
    /// Shown on the title screen (folded away until asked for).
    pub open: bool,
    pub game: String,
    pub key: String,
    pub received: String,
    pub message: Option<(bool, String)>,
}

/// What the player has chosen on screen.
#[derive(Resource, Debug, Clone, Default)]
pub struct Ui {
    pub selected: Option<UnitId>,
    pub hovered: Option<Hex>,
    pub overlay: Overlay,
    pub help: bool,
    /// The scenario's briefing shown (at the start of a new game, and with B).
    pub briefing: bool,
    /// A message for the player: an order refused, a save written.
    pub toast: Option<(String, f64)>,
    /// An attack being prepared: the target and its odds.
    pub attack: Option<(Hex, Vec<UnitId>, f64)>,
    /// The title screen's game by e-mail: the files named, and the last outcome.
    pub pbem_form: PbemForm,
    /// What made the prepared attack's odds: attack, defence and each factor.
    pub attack_breakdown: Option<(f64, f64, Vec<crate::rules::combat::OddsFactor>)>,
    pub explain: bool,
    /// The side whose view the map shows: the human's, or the side to move in hotseat;
    /// `None` when watching the AI play both.
    pub viewer: Option<Side>,
    /// Enemy units the viewer sees now; `None` shows every unit (watching, or no fog).
    pub visible: Option<std::collections::BTreeSet<UnitId>>,
    /// The march the selected unit would make to the hex under the mouse.
    pub preview: Option<(UnitId, Hex, crate::rules::preview::MarchPreview)>,
    /// The marches ordered this turn, drawn on the map until the turn ends.
    pub planned: Vec<(UnitId, Hex, crate::rules::preview::MarchPreview)>,
    /// The turn and number of orders `planned` was worked out for.
    pub planned_key: Option<(u32, usize)>,
    /// Screen space the panels take: left, right, top (logical window pixels).
    pub margins: [f32; 3],
    /// Whether the pointer is over the map, not over a panel, window or open menu: only then
    /// do clicks, the wheel and hovering reach the map. Set each frame from where the pointer
    /// is and where egui drew.
    pub pointer_on_map: bool,
    /// The side panels folded away, to give the map the whole width.
    pub hide_unit_panel: bool,
    pub hide_log: bool,
    /// Where the panels' main controls were drawn (logical window pixels), for
    /// `--script report:FILE`.
    pub controls: Vec<(String, [f32; 4])>,
    /// Where the event log stood when each side (Soviet, Japanese) last ended its phase:
    /// what came after is the "since your last turn" report.
    pub since: [Option<usize>; 2],
    /// The "since your last turn" window is open.
    pub show_since: bool,
    /// Its lines, for the report.
    pub since_lines: Vec<String>,
    /// Watching the AI: its phases held (Space), and one phase asked for (N).
    pub paused: bool,
    pub step: bool,
    /// What the hover box says of the units in the hovered hex.
    pub hover_text: Vec<String>,
    /// Left clicks the map has taken (for the same report).
    pub map_clicks: u64,
    /// The airlift being prepared: tons to fly.
    pub airlift_tons: f64,
    /// The turn the preview was computed in.
    pub preview_turn: u32,
    /// A script set the hovered hex: the pointer leaves it alone.
    pub hover_pinned: bool,
    /// When the AI last played a phase (seconds since start), to pace a watched game.
    pub last_ai_phase: f64,
    /// Size of text and panels (1.0 normal; 0 before the player changes it).
    pub ui_scale: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Overlay {
    #[default]
    None,
    /// Lorry haul from the nearest depot or railhead, per hex.
    Supply,
    /// Units coloured by fuel on hand.
    Fuel,
    /// Units coloured by readiness.
    Readiness,
    /// The reach of transport aviation from the bases the side holds.
    Airlift,
    /// Enemy zones of control.
    Zoc,
    /// Who holds each place.
    Control,
    /// What the side sees now, and enemy units last seen elsewhere.
    Fog,
}

/// Marks that a game has been spawned into this world.
#[derive(Resource)]
pub struct Started;

pub fn toast(world: &mut World, msg: impl Into<String>) {
    let now = world.resource::<Time>().elapsed_secs_f64();
    world.resource_mut::<Ui>().toast = Some((msg.into(), now + 6.0));
}
