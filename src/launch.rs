//! What the command line hands to the window: how to open it (`PlayArgs`), and what the
//! binary does once a command has run (`Next`): end, or open the window.

use std::path::PathBuf;
use std::process::ExitCode;

/// How to open the game window.
#[derive(Debug, Clone)]
pub struct PlayArgs {
    pub scenario: PathBuf,
    pub side: String,
    pub load: Option<PathBuf>,
    /// A save to watch again in the replay viewer.
    pub replay: Option<PathBuf>,
    pub screenshot: Option<PathBuf>,
    pub frames: u32,
    /// Where to write the frame times of a scripted run (`play --frame-times`).
    pub frame_times: Option<PathBuf>,
    pub script: Option<String>,
    pub what_ifs: Vec<String>,
    /// A game by e-mail to play in the window.
    pub pbem: Option<crate::pbem::WindowGame>,
}

/// What is left to do once the command line has done its part.
#[derive(Debug)]
pub enum Next {
    /// The command ran: end with this status.
    Exit(ExitCode),
    /// Open the game window (`play`, `replay --window`, or no command at all).
    Window(Box<PlayArgs>),
}

impl From<ExitCode> for Next {
    fn from(code: ExitCode) -> Self {
        Next::Exit(code)
    }
}
