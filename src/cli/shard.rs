//! Which shard of a batch this process runs: given as `K/M`, read from a Slurm job array's
//! environment (`--shard slurm`), or from any scheduler's task index in a named variable
//! (`--shard-index-env NAME --shards M`: Kubernetes Indexed Jobs, HyperQueue, GNU parallel).

use super::batch::parse_shard;

/// How the shard was asked for on the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShardRequest {
    /// `--shard`: `K/M` or `slurm`.
    pub shard: Option<String>,
    /// `--shard-index-env`: the variable holding this task's index, counted from 0.
    pub index_env: Option<String>,
    /// `--shards`: how many tasks share the batch, with `--shard-index-env`.
    pub shards: Option<u64>,
}

/// The shard (K, M), 1-based, or None for the whole batch. `env` reads an environment
/// variable (the process's own in the program; a table in tests).
pub fn resolve(
    req: &ShardRequest,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<(u64, u64)>, String> {
    match (&req.shard, &req.index_env, req.shards) {
        (None, None, None) => Ok(None),
        (Some(_), Some(_), _) => {
            Err("--shard and --shard-index-env both name the shard: give one of them".into())
        }
        (Some(s), None, Some(_)) if s != "slurm" => Err(format!(
            "--shard {s} already says how many shards; drop --shards"
        )),
        (Some(s), None, _) if s == "slurm" => slurm(&env),
        (Some(s), None, _) => parse_shard(s).map(Some),
        (None, Some(var), Some(m)) => indexed(&env, var, m),
        (None, Some(var), None) => Err(format!(
            "--shard-index-env {var} needs --shards M: how many tasks share the batch"
        )),
        (None, None, Some(_)) => Err("--shards needs --shard-index-env NAME".into()),
    }
}

fn number(env: &impl Fn(&str) -> Option<String>, var: &str) -> Result<Option<u64>, String> {
    match env(var) {
        None => Ok(None),
        Some(v) => {
            v.trim().parse::<u64>().map(Some).map_err(|_| {
                format!("the environment variable {var} is \"{v}\", not a whole number")
            })
        }
    }
}

/// A Slurm job array task: SLURM_ARRAY_TASK_ID between SLURM_ARRAY_TASK_MIN and _MAX, with
/// SLURM_ARRAY_TASK_COUNT tasks. The array must be a plain range (`--array=1-8` or `0-7`), so
/// that every index from the first to the last is one shard.
fn slurm(env: &impl Fn(&str) -> Option<String>) -> Result<Option<(u64, u64)>, String> {
    let id = number(env, "SLURM_ARRAY_TASK_ID")?.ok_or_else(|| {
        "--shard slurm: SLURM_ARRAY_TASK_ID is not set; run it as a task of a job array \
         (sbatch --array=1-8), or give the shard as K/M"
            .to_string()
    })?;
    let min = number(env, "SLURM_ARRAY_TASK_MIN")?.unwrap_or(id);
    let max = number(env, "SLURM_ARRAY_TASK_MAX")?.unwrap_or(id);
    let count = number(env, "SLURM_ARRAY_TASK_COUNT")?.unwrap_or(max.saturating_sub(min) + 1);
    if id < min || id > max {
        return Err(format!(
            "--shard slurm: task {id} lies outside the array {min}-{max}"
        ));
    }
    if max - min + 1 != count {
        return Err(format!(
            "--shard slurm: the array {min}-{max} has {count} tasks, so it has gaps or a step; \
             submit a plain range such as --array=1-{count}"
        ));
    }
    Ok(Some((id - min + 1, count)))
}

/// A task index counted from 0, of `m` tasks.
fn indexed(
    env: &impl Fn(&str) -> Option<String>,
    var: &str,
    m: u64,
) -> Result<Option<(u64, u64)>, String> {
    if m == 0 {
        return Err("--shards 0: at least one task must run the batch".into());
    }
    let i = number(env, var)?.ok_or_else(|| {
        format!("--shard-index-env {var}: the environment variable {var} is not set")
    })?;
    if i >= m {
        return Err(format!(
            "--shard-index-env {var}: the index {i} is not below --shards {m} (indices count from 0)"
        ));
    }
    Ok(Some((i + 1, m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    fn req(shard: Option<&str>, index_env: Option<&str>, shards: Option<u64>) -> ShardRequest {
        ShardRequest {
            shard: shard.map(str::to_string),
            index_env: index_env.map(str::to_string),
            shards,
        }
    }

    #[test]
    fn a_slurm_array_task_runs_its_shard_whether_the_array_counts_from_0_or_1() {
        let from_1 = [
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_MAX", "4"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ];
        assert_eq!(
            resolve(&req(Some("slurm"), None, None), env(&from_1)),
            Ok(Some((3, 4)))
        );
        let from_0 = [
            ("SLURM_ARRAY_TASK_ID", "0"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_MAX", "7"),
            ("SLURM_ARRAY_TASK_COUNT", "8"),
        ];
        assert_eq!(
            resolve(&req(Some("slurm"), None, None), env(&from_0)),
            Ok(Some((1, 8)))
        );
    }

    #[test]
    fn a_slurm_array_with_a_step_or_outside_a_job_is_refused_with_the_reason() {
        let stepped = [
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_MAX", "7"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ];
        let e = resolve(&req(Some("slurm"), None, None), env(&stepped)).unwrap_err();
        assert!(e.contains("gaps or a step"), "{e}");
        let e = resolve(&req(Some("slurm"), None, None), env(&[])).unwrap_err();
        assert!(e.contains("SLURM_ARRAY_TASK_ID is not set"), "{e}");
        let e = resolve(
            &req(Some("slurm"), None, None),
            env(&[("SLURM_ARRAY_TASK_ID", "x")]),
        )
        .unwrap_err();
        assert!(e.contains("not a whole number"), "{e}");
    }

    #[test]
    fn a_task_index_from_any_scheduler_counts_from_0() {
        let vars = [("JOB_COMPLETION_INDEX", "2")];
        assert_eq!(
            resolve(
                &req(None, Some("JOB_COMPLETION_INDEX"), Some(4)),
                env(&vars)
            ),
            Ok(Some((3, 4)))
        );
        let e = resolve(
            &req(None, Some("JOB_COMPLETION_INDEX"), Some(2)),
            env(&vars),
        )
        .unwrap_err();
        assert!(e.contains("not below --shards 2"), "{e}");
        let e = resolve(&req(None, Some("HQ_TASK_ID"), Some(2)), env(&vars)).unwrap_err();
        assert!(e.contains("HQ_TASK_ID is not set"), "{e}");
        let e = resolve(&req(None, Some("HQ_TASK_ID"), None), env(&vars)).unwrap_err();
        assert!(e.contains("needs --shards"), "{e}");
    }

    #[test]
    fn a_shard_given_twice_is_refused() {
        let e = resolve(&req(Some("1/2"), Some("I"), Some(2)), env(&[])).unwrap_err();
        assert!(e.contains("give one of them"), "{e}");
        let e = resolve(&req(Some("1/2"), None, Some(2)), env(&[])).unwrap_err();
        assert!(e.contains("drop --shards"), "{e}");
        assert_eq!(
            resolve(&req(Some("2/8"), None, None), env(&[])),
            Ok(Some((2, 8)))
        );
        assert_eq!(resolve(&req(None, None, None), env(&[])), Ok(None));
    }
}
