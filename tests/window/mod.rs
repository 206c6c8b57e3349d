//! The game in a real window for the window's tests: `play` under its own X server (Xvfb),
//! driven by real pointer and key events (xdotool), reading back what the window reports
//! through `--script report:FILE`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

/// One window at a time: several software-rendered windows on a small machine only slow
/// each other down.
pub static ONE_WINDOW: Mutex<()> = Mutex::new(());

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether `tool` is installed; where it is not, says which tests are skipped (`skipped`),
/// and fails instead under AUGUST_STORM_GUI_TEST=require.
pub fn have(tool: &str, skipped: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("AUGUST_STORM_GUI_TEST").as_deref() != Ok("require"),
            "{tool} is not installed, and AUGUST_STORM_GUI_TEST=require"
        );
        eprintln!("{tool} is not installed: {skipped} skipped");
    }
    found
}

/// Where the window drew a control: its rectangle in window pixels.
pub fn control(r: &Value, name: &str) -> Option<[f64; 4]> {
    let c = r.get("controls")?.get(name)?.as_array()?;
    let n: Vec<f64> = c.iter().filter_map(Value::as_f64).collect();
    (n.len() == 4).then(|| [n[0], n[1], n[2], n[3]])
}

pub fn centre_of(r: [f64; 4]) -> [f64; 2] {
    [(r[0] + r[2]) / 2.0, (r[1] + r[3]) / 2.0]
}

/// The game in a window on its own X server, with a way to send it mouse and keys.
pub struct Game {
    pub child: Child,
    pub dir: PathBuf,
    pub display: String,
    pub xauthority: String,
    pub window: String,
}

impl Game {
    /// Starts `play` with these arguments in `dir` (where it keeps `saves/`), on a screen of
    /// 1280×720, and waits for its window.
    pub fn play(dir: &Path, args: &[&std::ffi::OsStr]) -> Game {
        use std::os::unix::process::CommandExt;
        let env_file = dir.join("x-env");
        let child = Command::new("xvfb-run")
            .args(["-a", "-s", "-screen 0 1280x720x24", "sh", "-c"])
            .arg(format!(
                "printf '%s\\n%s\\n' \"$DISPLAY\" \"$XAUTHORITY\" > '{}.tmp' && mv '{0}.tmp' '{0}' && exec \"$@\"",
                env_file.display()
            ))
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_august-storm"))
            .arg("play")
            .args(args)
            .current_dir(dir)
            .env("XDG_RUNTIME_DIR", dir)
            // Its own process group, so that the X server and the game end together.
            .process_group(0)
            .spawn()
            .expect("xvfb-run starts");
        let mut game = Game {
            child,
            dir: dir.to_path_buf(),
            display: String::new(),
            xauthority: String::new(),
            window: String::new(),
        };
        let text = game.wait_until("the X server starts", || {
            std::fs::read_to_string(&env_file).ok()
        });
        let mut lines = text.lines();
        game.display = lines.next().unwrap_or_default().to_string();
        game.xauthority = lines.next().unwrap_or_default().to_string();
        let out = game.xdotool(&["search", "--sync", "--name", "August Storm"]);
        game.window = out.lines().next().unwrap_or_default().to_string();
        assert!(!game.window.is_empty(), "no game window appeared");
        game
    }

    pub fn xdotool(&self, args: &[&str]) -> String {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.display)
            .env("XAUTHORITY", &self.xauthority)
            .output()
            .expect("xdotool runs");
        assert!(
            out.status.success(),
            "xdotool {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Moves the real pointer to a point of the window (window pixels).
    pub fn point_at(&self, [x, y]: [f64; 2]) {
        let (x, y) = (format!("{}", x.round()), format!("{}", y.round()));
        self.xdotool(&["mousemove", "--window", &self.window, &x, &y]);
    }

    /// A left click there, as a hand makes it: the button is released only once the window
    /// has seen it held (a press and release within one frame is no click a hand makes).
    pub fn click_at(&mut self, at: [f64; 2]) {
        self.point_at(at);
        self.xdotool(&["mousedown", "1"]);
        self.wait_for("the window sees the button held", |r| {
            r["left_down"] == true
        });
        self.xdotool(&["mouseup", "1"]);
        self.wait_for("the window sees the button released", |r| {
            r["left_down"] == false
        });
    }

    /// The wheel turned one notch up (towards zooming in), a few times.
    pub fn wheel_at(&self, at: [f64; 2]) {
        self.point_at(at);
        self.xdotool(&["click", "--repeat", "3", "4"]);
    }

    /// A key pressed, as the keyboard does, to the game's window (given the focus: there is
    /// no window manager to give it).
    pub fn key(&self, key: &str) {
        self.xdotool(&["windowfocus", "--sync", &self.window]);
        self.xdotool(&["key", key]);
    }

    pub fn report(&self) -> Option<Value> {
        let text = std::fs::read_to_string(self.dir.join("report.json")).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Waits for the window to report what `what` describes; fails with the last report if
    /// it never does (a click that went elsewhere), rather than hanging.
    pub fn wait_for(&mut self, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
        let dir = self.dir.clone();
        self.wait_until(what, || {
            let text = std::fs::read_to_string(dir.join("report.json")).ok()?;
            let v: Value = serde_json::from_str(&text).ok()?;
            ok(&v).then_some(v)
        })
    }

    pub fn wait_until<T>(&mut self, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Some(v) = f() {
                return v;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the game ended ({status}) before {what}");
            }
            assert!(
                Instant::now() < deadline,
                "waited two minutes for {what}; the window last reported {:?}",
                self.report()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Game {
    fn drop(&mut self) {
        // The whole group this test started: xvfb-run, its X server and the game.
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.wait();
    }
}
