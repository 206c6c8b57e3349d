//! Outputs that would destroy data: simulate refuses to write over what it reads, a batch
//! resumes itself and refuses anything else in its directory, merge refuses to write over a
//! shard, a batch directory is locked while written, and batch sizes are bounded.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use august_storm::cli::batch::{BatchArgs, merge, read_batch, run_batch, seeds};
use august_storm::report::batch::{MAX_RUNS, Seeds};
use august_storm::report::outputs::{LOCK_FILE, lock_dir};
use common::*;

/// A scratch copy of `scenarios/`, so that a command that wrongly wrote over its inputs
/// would harm nothing.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("scenarios"), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn august_storm(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_august-storm"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Runs `simulate across_the_khingan.ron --until 1945-08-10` with more arguments; asserts it
/// failed with `message` and that the file `kept` is byte for byte as it was.
fn simulate_is_refused(args: &[&str], kept: &str, message: &str) {
    let dir = scratch();
    let before = read(&dir.path().join(kept));
    let mut all = vec![
        "simulate",
        "across_the_khingan.ron",
        "--until",
        "1945-08-10",
    ];
    all.extend(args);
    let o = august_storm(dir.path(), &all);
    assert!(!o.status.success(), "{args:?} succeeded");
    assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
    assert_eq!(read(&dir.path().join(kept)), before, "{kept} was changed");
}

#[test]
fn simulate_refuses_a_report_that_would_replace_the_scenario() {
    simulate_is_refused(
        &["--report", "across_the_khingan.ron"],
        "across_the_khingan.ron",
        "--report across_the_khingan.ron: that is the scenario, which this command reads; nothing was written",
    );
}

#[test]
fn simulate_sees_through_dots_and_detours_in_a_path() {
    simulate_is_refused(
        &["--report", "./maps/../across_the_khingan.ron"],
        "across_the_khingan.ron",
        "that is the scenario (across_the_khingan.ron)",
    );
}

#[test]
fn simulate_refuses_a_save_over_the_orders_or_any_file_the_scenario_names() {
    simulate_is_refused(
        &[
            "--orders",
            "orders/across_the_khingan.ron",
            "--save",
            "orders/across_the_khingan.ron",
        ],
        "orders/across_the_khingan.ron",
        "that is the orders file",
    );
    simulate_is_refused(
        &["--save", "rules.ron"],
        "rules.ron",
        "that is the scenario's rules file",
    );
    simulate_is_refused(
        &["--report", "maps/manchuria_terrain.ron"],
        "maps/manchuria_terrain.ron",
        "that is a layer of the scenario's map",
    );
    simulate_is_refused(
        &[
            "--what-if",
            "dry_weather",
            "--save",
            "what_ifs/dry_weather.ron",
        ],
        "what_ifs/dry_weather.ron",
        "that is the file of the what-if dry_weather",
    );
}

#[cfg(unix)]
#[test]
fn simulate_refuses_a_report_through_a_link_to_the_scenario() {
    let dir = scratch();
    std::os::unix::fs::symlink("across_the_khingan.ron", dir.path().join("link.json")).unwrap();
    let before = read(&dir.path().join("across_the_khingan.ron"));
    let o = august_storm(
        dir.path(),
        &[
            "simulate",
            "across_the_khingan.ron",
            "--until",
            "1945-08-10",
            "--report",
            "link.json",
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--report link.json: that is the scenario"));
    assert_eq!(read(&dir.path().join("across_the_khingan.ron")), before);
}

#[test]
fn simulate_refuses_a_report_and_a_save_to_the_same_file() {
    let dir = scratch();
    let o = august_storm(
        dir.path(),
        &[
            "simulate",
            "across_the_khingan.ron",
            "--until",
            "1945-08-10",
            "--report",
            "x.ron",
            "--save",
            "./x.ron",
        ],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("--report and --save name the same file"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("x.ron").exists(), "nothing was written");
}

#[test]
fn a_continued_game_is_not_saved_over_its_own_save() {
    let dir = scratch();
    let o = august_storm(
        dir.path(),
        &[
            "simulate",
            "across_the_khingan.ron",
            "--until",
            "1945-08-10",
            "--save",
            "mid.ron",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let before = read(&dir.path().join("mid.ron"));
    let o = august_storm(
        dir.path(),
        &[
            "simulate",
            "across_the_khingan.ron",
            "--load",
            "mid.ron",
            "--until",
            "1945-08-11",
            "--save",
            "mid.ron",
        ],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("that is the saved game this run continues"),
        "{}",
        stderr(&o)
    );
    assert_eq!(read(&dir.path().join("mid.ron")), before);
}

/// A file too large for the process's limit: the write fails as on a full disk.
#[cfg(unix)]
#[test]
fn a_report_that_cannot_be_written_leaves_no_temporary_file() {
    let dir = scratch();
    let exe = env!("CARGO_BIN_EXE_august-storm");
    // The signal ignored, so that the write fails with an error instead of ending the
    // process; 4 blocks are far less than the report.
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f 4; exec '{exe}' simulate across_the_khingan.ron --until 1945-08-10 --report r.json"
        ))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("cannot write the report to r.json"),
        "{}",
        stderr(&o)
    );
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("r.json"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

fn batch(scenario: PathBuf, runs: u64, out: &Path) -> BatchArgs {
    BatchArgs {
        scenario,
        runs,
        seed_start: 11,
        what_ifs: vec![],
        shard: None,
        out: out.to_path_buf(),
        calibration: None,
        places: None,
        progress: false,
        force: false,
    }
}

fn run_on_one_thread(a: &BatchArgs) -> Result<august_storm::report::batch::Manifest, String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    pool.install(|| run_batch(a))
}

#[test]
fn a_batch_stopped_half_way_is_resumed_and_gives_the_files_of_one_run_straight_through() {
    let dir = tempfile::tempdir().unwrap();
    let (whole, resumed) = (dir.path().join("whole"), dir.path().join("resumed"));
    run_on_one_thread(&batch(fixture("tiny.ron"), 4, &whole)).expect("the batch runs");
    // As a batch killed while writing its third row leaves it: two rows and half a third.
    std::fs::create_dir_all(&resumed).unwrap();
    std::fs::copy(whole.join("batch.json"), resumed.join("batch.json")).unwrap();
    let csv = String::from_utf8(read(&whole.join("runs.csv"))).unwrap();
    let lines: Vec<&str> = csv.split_inclusive('\n').collect();
    let cut = format!("{}{}{}", lines[0], lines[1], lines[2]) + &lines[3][..lines[3].len() / 2];
    std::fs::write(resumed.join("runs.csv"), &cut).unwrap();
    let e = read_batch(&resumed).unwrap_err();
    assert!(e.contains("line 4 is cut short"), "{e}");

    run_on_one_thread(&batch(fixture("tiny.ron"), 4, &resumed)).expect("the batch resumes");
    for f in august_storm::cli::batch::OUTPUTS {
        assert_eq!(read(&whole.join(f)), read(&resumed.join(f)), "{f} differs");
    }
}

#[test]
fn a_batch_refuses_a_directory_that_holds_another_batch_or_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    run_on_one_thread(&batch(fixture("tiny.ron"), 2, &out)).unwrap();
    let before = read(&out.join("runs.csv"));
    let e = run_on_one_thread(&batch(fixture("tiny.ron"), 3, &out)).unwrap_err();
    assert!(
        e.contains("already holds another batch of this scenario: it ran seeds 11 to 12, this one runs seeds 11 to 13; nothing was written"),
        "{e}"
    );
    assert!(e.contains("--force"), "{e}");
    assert_eq!(read(&out.join("runs.csv")), before);

    let notes = dir.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(notes.join("plan.txt"), "mine").unwrap();
    let e = run_on_one_thread(&batch(fixture("tiny.ron"), 2, &notes)).unwrap_err();
    assert!(e.contains("already holds 1 file"), "{e}");
    assert!(!notes.join("runs.csv").exists());

    let mut forced = batch(fixture("tiny.ron"), 3, &out);
    forced.force = true;
    let m = run_on_one_thread(&forced).expect("--force replaces the batch");
    assert_eq!(m.seeds.len(), 3);
    assert_eq!(read_batch(&out).unwrap().1.len(), 3);
}

#[test]
fn a_batch_of_files_edited_since_is_not_resumed_but_refused() {
    let dir = scratch();
    let out = dir.path().join("b");
    let scenario = dir.path().join("across_the_khingan.ron");
    run_on_one_thread(&batch(scenario.clone(), 1, &out)).unwrap();
    let rules = dir.path().join("rules.ron");
    let mut text = std::fs::read_to_string(&rules).unwrap();
    text.push_str("\n// edited\n");
    std::fs::write(&rules, text).unwrap();
    let e = run_on_one_thread(&batch(scenario, 1, &out)).unwrap_err();
    assert!(
        e.contains("already holds another batch: they were run from different versions of the scenario's files"),
        "{e}"
    );
}

#[test]
fn a_batch_run_by_another_build_of_the_engine_is_not_resumed_but_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    run_on_one_thread(&batch(fixture("tiny.ron"), 1, &out)).unwrap();
    // The manifest as a build from other source would have written it: the same files read,
    // another engine.
    let path = out.join("batch.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let ours = m["inputs_digest"].as_str().expect("a digest").to_string();
    m["inputs_digest"] = serde_json::json!("fnv1a64:0123456789abcdef");
    assert_ne!(ours, "fnv1a64:0123456789abcdef");
    std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    let e = run_on_one_thread(&batch(fixture("tiny.ron"), 2, &out)).unwrap_err();
    assert!(e.contains("of the game"), "{e}");
    assert_eq!(
        read_batch(&out).unwrap().1.len(),
        1,
        "the old runs are kept"
    );
}

#[test]
fn a_batch_refuses_a_directory_another_batch_is_writing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    std::fs::create_dir_all(&out).unwrap();
    let _held = lock_dir(&out).expect("the first lock is taken");
    let e = run_on_one_thread(&batch(fixture("tiny.ron"), 2, &out)).unwrap_err();
    assert!(
        e.contains(&format!(
            "another batch or merge (process {}) is writing to",
            std::process::id()
        )),
        "{e}"
    );
    assert!(!out.join("runs.csv").exists());
}

#[test]
fn a_second_batch_process_writing_to_the_same_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    std::fs::create_dir_all(&out).unwrap();
    let _held = lock_dir(&out).expect("the first lock is taken");
    let o = august_storm(
        dir.path(),
        &[
            "batch",
            fixture("tiny.ron").to_str().unwrap(),
            "--runs",
            "2",
            "--out",
            "b",
        ],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("another batch or merge (process"),
        "{}",
        stderr(&o)
    );
    assert!(!out.join("runs.csv").exists());
}

#[test]
fn a_lock_file_left_by_a_killed_batch_does_not_block_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    std::fs::create_dir_all(&out).unwrap();
    // What a killed batch leaves: the file with its process id, and no lock on it.
    std::fs::write(out.join(LOCK_FILE), "4000000").unwrap();
    run_on_one_thread(&batch(fixture("tiny.ron"), 2, &out)).expect("the batch runs");
    // And its own lock went with it.
    drop(lock_dir(&out).expect("the lock is free again"));
}

#[test]
fn a_batch_does_not_write_its_files_over_the_scenarios_folder() {
    let dir = scratch();
    let e = run_on_one_thread(&batch(
        dir.path().join("across_the_khingan.ron"),
        1,
        dir.path(),
    ))
    .unwrap_err();
    assert!(e.contains("already holds"), "{e}");
    assert!(!dir.path().join("runs.csv").exists());
    let e = run_on_one_thread(&batch(
        dir.path().join("across_the_khingan.ron"),
        1,
        &dir.path().join("rules.ron"),
    ))
    .unwrap_err();
    assert!(e.contains("that is a file, not a directory"), "{e}");
}

#[test]
fn merge_refuses_to_write_over_one_of_its_shards() {
    let dir = tempfile::tempdir().unwrap();
    let s1 = dir.path().join("s1");
    let mut a = batch(fixture("tiny.ron"), 2, &s1);
    a.shard = Some((1, 2));
    run_on_one_thread(&a).unwrap();
    let before = read(&s1.join("runs.csv"));
    let e = merge(std::slice::from_ref(&s1), &s1, true).unwrap_err();
    assert!(e.contains("that is the batch directory"), "{e}");
    let dotted = dir.path().join(".").join("s1");
    let e = merge(std::slice::from_ref(&s1), &dotted, true).unwrap_err();
    assert!(e.contains("which this command reads"), "{e}");
    assert_eq!(read(&s1.join("runs.csv")), before);
}

#[test]
fn merge_refuses_a_directory_that_holds_something_else_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n);
    run_on_one_thread(&batch(fixture("tiny.ron"), 1, &d("a"))).unwrap();
    run_on_one_thread(&batch(fixture("tiny.ron"), 2, &d("other"))).unwrap();
    let e = merge(&[d("a")], &d("other"), false).unwrap_err();
    assert!(e.contains("other already holds another batch"), "{e}");
    assert_eq!(read_batch(&d("other")).unwrap().1.len(), 2);
    // The same merge twice gives the same files, and --force replaces the other batch.
    merge(&[d("a")], &d("m"), false).unwrap();
    merge(&[d("a")], &d("m"), false).expect("the same merge again");
    merge(&[d("a")], &d("other"), true).expect("--force");
    assert_eq!(read_batch(&d("other")).unwrap().1.len(), 1);
}

#[test]
fn a_batch_of_no_runs_too_many_or_seeds_past_the_last_is_refused() {
    assert_eq!(
        seeds(0, 1, None).unwrap_err(),
        "--runs 0: a batch needs at least one run"
    );
    let e = seeds(4_294_967_295, 1, None).unwrap_err();
    assert!(
        e.contains(&format!("a batch holds at most {MAX_RUNS} runs")),
        "{e}"
    );
    let e = seeds(5, u64::MAX - 1, None).unwrap_err();
    assert!(e.contains("beyond the largest seed"), "{e}");
    assert_eq!(seeds(2, u64::MAX - 1, None).unwrap().last(), Some(u64::MAX));
    let e = seeds(2, 1, Some((3, 4))).unwrap_err();
    assert!(e.contains("--shard 3/4 of 2 runs holds no seeds"), "{e}");
    // The command says so and writes nothing.
    let dir = tempfile::tempdir().unwrap();
    let o = august_storm(
        dir.path(),
        &[
            "batch",
            fixture("tiny.ron").to_str().unwrap(),
            "--runs",
            "0",
            "--out",
            "b",
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--runs 0"), "{}", stderr(&o));
    assert!(!dir.path().join("b").exists());
}

#[test]
fn batch_json_stores_the_seed_range_not_every_seed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    run_on_one_thread(&batch(fixture("tiny.ron"), 3, &out)).unwrap();
    let text = String::from_utf8(read(&out.join("batch.json"))).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        json["seeds"],
        serde_json::json!([{"first": 11, "count": 3, "step": 1}])
    );
    let many = Seeds::stride(1, MAX_RUNS, 1).unwrap();
    assert!(serde_json::to_string(&many).unwrap().len() < 100);
}

#[test]
fn an_older_batch_json_that_lists_every_seed_is_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    run_on_one_thread(&batch(fixture("tiny.ron"), 3, &out)).unwrap();
    let mut json: serde_json::Value =
        serde_json::from_slice(&read(&out.join("batch.json"))).unwrap();
    json["seeds"] = serde_json::json!([11, 12, 13]);
    std::fs::write(out.join("batch.json"), json.to_string()).unwrap();
    let (m, rows) = read_batch(&out).expect("the old manifest reads");
    assert_eq!(m.seeds.iter().collect::<Vec<_>>(), [11, 12, 13]);
    assert_eq!(rows.len(), 3);
    // And it is the same batch: run again, it is resumed, not refused.
    run_on_one_thread(&batch(fixture("tiny.ron"), 3, &out)).expect("resumed");
}

#[test]
fn a_runs_table_that_does_not_match_its_manifest_says_which_line_and_seed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    run_on_one_thread(&batch(fixture("tiny.ron"), 3, &out)).unwrap();
    let csv = String::from_utf8(read(&out.join("runs.csv"))).unwrap();
    let lines: Vec<&str> = csv.split_inclusive('\n').collect();
    // Seed 12's row replaced by seed 13's: three rows, as many as batch.json lists.
    let swapped = [lines[0], lines[1], lines[3], lines[3]].concat();
    std::fs::write(out.join("runs.csv"), swapped).unwrap();
    let e = read_batch(&out).unwrap_err();
    assert!(
        e.contains("line 3 is the run of seed 13, but batch.json lists seed 12 next"),
        "{e}"
    );
    // A row short.
    std::fs::write(
        out.join("runs.csv"),
        [lines[0], lines[1], lines[2]].concat(),
    )
    .unwrap();
    let e = read_batch(&out).unwrap_err();
    assert!(
        e.contains(
            "it holds 2 of the 3 runs batch.json lists: the runs from seed 13 on are missing"
        ),
        "{e}"
    );
}
