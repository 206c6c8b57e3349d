//! A sweep checked and ready to run: the files its inputs change, and the scenario at any
//! design point, loaded from those files changed in memory.

use std::path::PathBuf;

use chrono::NaiveDateTime;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{DataFile, Input, Measure, SweepFile};
use crate::scenario::diag::{Diagnostic, Severity, SourceText, parse_ron};
use crate::scenario::fieldpath::{Change, apply};
use crate::scenario::load::{Overlay, Scenario, load_scenario_overlaid};
use crate::scenario::schema::{LogisticsFile, PlanFile, RulesFile, ScenarioFile};

/// One of the scenario's files as the inputs see it.
#[derive(Debug, Clone)]
pub(super) struct Base {
    pub(super) kind: DataFile,
    pub(super) path: PathBuf,
    pub(super) value: Value,
}

/// A sweep, checked and ready to run.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub path: PathBuf,
    pub file: SweepFile,
    pub scenario_path: PathBuf,
    /// The scenario's name.
    pub scenario_name: String,
    pub inputs: Vec<Input>,
    pub outcomes: Vec<Measure>,
    /// The measure of each question's outcome, and its position among `outcomes`.
    pub questions: Vec<usize>,
    /// The places, fronts and turn ends of the base scenario.
    pub places: Vec<String>,
    pub fronts: Vec<String>,
    pub turn_ends: Vec<String>,
    pub start: NaiveDateTime,
    pub(super) bases: Vec<Base>,
}

fn text_of<T: Serialize + DeserializeOwned>(v: &Value) -> Result<String, String> {
    let t: T = serde_json::from_value(v.clone()).map_err(|e| {
        let e = e.to_string();
        // serde's "invalid value: integer `-3`, expected u32" in plain words.
        if e.contains("expected u") {
            format!("the value does not fit the field, which holds a count of 0 or more ({e})")
        } else {
            e
        }
    })?;
    ron::ser::to_string(&t).map_err(|e| e.to_string())
}

pub(super) fn typed_value<T: Serialize + DeserializeOwned>(
    src: &SourceText,
) -> Result<Value, Diagnostic> {
    let t: T = parse_ron(src)?;
    serde_json::to_value(&t).map_err(|e| src.at_offset(Severity::Error, None, e.to_string()))
}

impl Sweep {
    /// The files of one design point, in memory: each changed file with every input's
    /// value set in it.
    pub fn overlay(&self, values: &[f64]) -> Result<Overlay, String> {
        let mut bases = self.bases.clone();
        for (input, v) in self.inputs.iter().zip(values) {
            let base = bases
                .iter_mut()
                .find(|b| b.kind == input.def.file)
                .ok_or_else(|| {
                    format!(
                        "the scenario has no {}",
                        input.def.file.describe().trim_start_matches("the ")
                    )
                })?;
            apply(&mut base.value, &input.pointers, input.def.change, *v)
                .map_err(|e| format!("{}: {e}", input.def.name))?;
        }
        let mut overlay = Overlay::default();
        for b in bases {
            // Only the files an input changes are read from memory.
            if !self.inputs.iter().any(|i| i.def.file == b.kind) {
                continue;
            }
            let text = match b.kind {
                DataFile::Scenario => text_of::<ScenarioFile>(&b.value),
                DataFile::Rules => text_of::<RulesFile>(&b.value),
                DataFile::Logistics => text_of::<LogisticsFile>(&b.value),
                DataFile::Plan => text_of::<PlanFile>(&b.value),
            }
            .map_err(|e| format!("{} cannot take the values: {e}", b.kind.describe()))?;
            overlay.0.insert(b.path, text);
        }
        Ok(overlay)
    }

    /// The scenario at one design point, loaded and checked as any scenario is.
    pub fn scenario_at(&self, values: &[f64]) -> Result<Scenario, Vec<Diagnostic>> {
        let overlay = self.overlay(values).map_err(|m| {
            vec![Diagnostic {
                severity: Severity::Error,
                file: self.path.clone(),
                line: 0,
                col: 0,
                message: m,
                hint: None,
                snippet: None,
            }]
        })?;
        load_scenario_overlaid(&self.scenario_path, &overlay)
    }

    /// The scenario at one design point with the sweep's what-ifs applied: what a run of
    /// that point is spawned from.
    pub fn prepared_at(
        &self,
        values: &[f64],
    ) -> Result<(Scenario, crate::scenario::whatif::Switches), Vec<Diagnostic>> {
        let mut s = self.scenario_at(values)?;
        let mut switches = crate::scenario::whatif::Switches::default();
        for w in &self.file.what_ifs {
            let wf = crate::scenario::whatif::find_what_if(&self.scenario_path, w)?;
            crate::scenario::whatif::apply_checked(&mut s, &wf, &mut switches)?;
        }
        Ok((s, switches))
    }

    /// The inputs' values at their base (every input where the files have it, for the
    /// checks of one input at a time): the base file's figure for Set, 1 for Scale, 0 for
    /// Shift.
    pub(super) fn neutral(&self, i: usize) -> Option<f64> {
        let input = &self.inputs[i];
        match input.def.change {
            Change::Scale => Some(1.0),
            Change::Shift => Some(0.0),
            Change::Set => {
                let base = self.bases.iter().find(|b| b.kind == input.def.file)?;
                base.value.pointer(input.pointers.first()?)?.as_f64()
            }
        }
    }

    /// The turns every run must play; None: the whole campaign.
    pub fn turns_needed(&self) -> Option<u32> {
        self.outcomes
            .iter()
            .map(Measure::turns_needed)
            .try_fold(0, |a, t| t.map(|t| a.max(t)))
    }
}
