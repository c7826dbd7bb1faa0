//! What evidence records are linked to: the agendas they serve (terms), their places and
//! organisations, read for every record a reader may open in one query.

use super::*;

/// One link of one record: `kind` is "agenda", "place" or "organisation".
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct EvidenceLinkRow {
    pub evidence_id: String,
    pub kind: String,
    pub subject_id: String,
    pub name: String,
    pub slug: String,
}

/// Replaces a record's links with those of `content`.
pub(super) async fn set_links(
    c: &mut Conn,
    id: &str,
    content: &EvidenceContent,
) -> StoreResult<()> {
    for (table, column, ids) in [
        ("evidence_agendas", "term_id", &content.agenda_ids),
        ("evidence_places", "place_id", &content.place_ids),
        (
            "evidence_organisations",
            "organisation_id",
            &content.organisation_ids,
        ),
    ] {
        sqlx::query(trusted_sql!("DELETE FROM {table} WHERE evidence_id = $1"))
            .bind(id)
            .execute(&mut *c)
            .await?;
        for subject in ids {
            sqlx::query(trusted_sql!(
                "INSERT INTO {table} (evidence_id, {column}) VALUES ($1, $2) ON CONFLICT DO NOTHING"
            ))
            .bind(id)
            .bind(subject)
            .execute(&mut *c)
            .await?;
        }
    }
    Ok(())
}

/// The links of the given records (ids already read through the visibility rule).
pub async fn evidence_links(c: &mut Conn, ids: &[String]) -> StoreResult<Vec<EvidenceLinkRow>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let places: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let within = places.join(", ");
    let sql = format!(
        "SELECT l.evidence_id, 'agenda' AS kind, t.id AS subject_id, t.name, t.slug
            FROM evidence_agendas l JOIN terms t ON t.id = l.term_id WHERE l.evidence_id IN ({within})
         UNION ALL
         SELECT l.evidence_id, 'place' AS kind, p.id AS subject_id, p.name, p.slug
            FROM evidence_places l JOIN places p ON p.id = l.place_id WHERE l.evidence_id IN ({within})
         UNION ALL
         SELECT l.evidence_id, 'organisation' AS kind, o.id AS subject_id, o.name, o.slug
            FROM evidence_organisations l JOIN organisations o ON o.id = l.organisation_id WHERE l.evidence_id IN ({within})
         ORDER BY 1, 2, 4"
    );
    // The SQL holds only numbered parameters; the ids are bound.
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(c).await?)
}
