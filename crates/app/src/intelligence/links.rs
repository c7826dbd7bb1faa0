//! Library items and evidence records tagged with the indicators they address. A tag is
//! changed by whoever may edit the item or record; an indicator page lists only what the
//! reader may open, published.

use lz_domain::evidence::EvidenceStatus;
use lz_domain::library::ItemStatus;
use lz_store::intelligence as store;

use super::Intelligence;
use crate::evidence::EvidenceRecord;
use crate::library::ItemRecord;
use crate::{Actor, AppError, AppResult, Audit};

/// At most this many indicators on one item or record.
const MAX_TAGS: usize = 20;

impl Intelligence<'_> {
    /// The published items and evidence records that address an indicator, as the reader may
    /// see them.
    pub async fn addressing(
        &self,
        actor: Option<&Actor>,
        indicator_id: &str,
    ) -> AppResult<(Vec<ItemRecord>, Vec<EvidenceRecord>)> {
        let (item_ids, evidence_ids) = {
            let mut c = self.app.db.acquire().await?;
            (
                store::indicator_item_ids(&mut c, indicator_id).await?,
                store::indicator_evidence_ids(&mut c, indicator_id).await?,
            )
        };
        let mut items = Vec::new();
        for id in item_ids.iter().take(200) {
            match self.app.library().item(actor, id).await {
                Ok(v) if v.item.status == ItemStatus::Published => items.push(v.item),
                Ok(_) | Err(AppError::NotFound) | Err(AppError::Forbidden) => {}
                Err(e) => return Err(e),
            }
        }
        let mut evidence = Vec::new();
        for id in evidence_ids.iter().take(200) {
            match self.app.evidence().get(actor, id).await {
                Ok(v) if v.record.status == EvidenceStatus::Published => evidence.push(v.record),
                Ok(_) | Err(AppError::NotFound) | Err(AppError::Forbidden) => {}
                Err(e) => return Err(e),
            }
        }
        Ok((items, evidence))
    }

    /// (id, name) of the indicators an item addresses.
    pub async fn item_indicators(&self, item_id: &str) -> AppResult<Vec<(String, String)>> {
        let mut c = self.app.db.acquire().await?;
        Ok(store::item_indicators(&mut c, item_id).await?)
    }

    pub async fn evidence_indicators(&self, evidence_id: &str) -> AppResult<Vec<(String, String)>> {
        let mut c = self.app.db.acquire().await?;
        Ok(store::evidence_indicators(&mut c, evidence_id).await?)
    }

    /// Checks indicator ids (each must exist) and removes repeats.
    async fn known_indicators(&self, ids: &[String]) -> AppResult<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        for id in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let found = self
                .indicator(id)
                .await
                .map_err(|_| AppError::field("indicators", "Choose indicators from the list"))?;
            if !out.contains(&found.id) {
                out.push(found.id);
            }
        }
        if out.len() > MAX_TAGS {
            return Err(AppError::field(
                "indicators",
                format!("Choose at most {MAX_TAGS} indicators"),
            ));
        }
        Ok(out)
    }

    /// Says which indicators an item addresses (its editors only).
    pub async fn tag_item(&self, actor: &Actor, item_id: &str, ids: &[String]) -> AppResult<()> {
        let view = self.app.library().item(Some(actor), item_id).await?;
        if !view.access.may_edit() {
            return Err(AppError::Forbidden);
        }
        let ids = self.known_indicators(ids).await?;
        let mut tx = self.app.db.begin().await?;
        store::set_item_indicators(&mut tx, item_id, &ids).await?;
        Audit::new(
            Some(actor.id()),
            "item.indicators",
            ("item", item_id),
            &ids.join(", "),
        )
        .commit(tx, self.app.now())
        .await
    }

    /// Says which indicators an evidence record addresses (those who may edit it).
    pub async fn tag_evidence(
        &self,
        actor: &Actor,
        evidence_id: &str,
        ids: &[String],
    ) -> AppResult<()> {
        let view = self.app.evidence().get(Some(actor), evidence_id).await?;
        if !view.access.may_edit() {
            return Err(AppError::Forbidden);
        }
        let ids = self.known_indicators(ids).await?;
        let mut tx = self.app.db.begin().await?;
        store::set_evidence_indicators(&mut tx, evidence_id, &ids).await?;
        Audit::new(
            Some(actor.id()),
            "evidence.indicators",
            ("evidence", evidence_id),
            &ids.join(", "),
        )
        .commit(tx, self.app.now())
        .await
    }
}
