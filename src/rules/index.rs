//! The units by id: which entity holds each [`UnitId`], kept up to date as units are spawned
//! and despawned.

use std::collections::BTreeMap;

use bevy::prelude::*;

use crate::model::UnitId;

/// Every unit's entity by its id. The rules, the AI, the reports and the window look units up
/// by id all the time; this answers without a scan of every entity.
#[derive(Resource, Debug, Default, Clone)]
pub struct UnitIndex(BTreeMap<UnitId, Entity>);

impl UnitIndex {
    pub fn get(&self, id: UnitId) -> Option<Entity> {
        self.0.get(&id).copied()
    }
}

fn index_unit(add: On<Add, UnitId>, ids: Query<&UnitId>, mut index: ResMut<UnitIndex>) {
    if let Ok(id) = ids.get(add.entity) {
        index.0.insert(*id, add.entity);
    }
}

fn unindex_unit(remove: On<Remove, UnitId>, ids: Query<&UnitId>, mut index: ResMut<UnitIndex>) {
    if let Ok(id) = ids.get(remove.entity)
        && index.0.get(id) == Some(&remove.entity)
    {
        index.0.remove(id);
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<UnitIndex>();
    app.add_observer(index_unit);
    app.add_observer(unindex_unit);
}
