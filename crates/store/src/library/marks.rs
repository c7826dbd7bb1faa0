//! Marks (bookmarked, useful) and follows: rows that are there or not.

use super::*;

/// A row that is there or not (a mark, a follow), keyed by three columns.
#[derive(Clone, Copy)]
enum Flag {
    Mark,
    Follow,
}

impl Flag {
    /// (insert, delete) statements; $1–$3 the key, $4 the time.
    fn statements(self) -> (&'static str, &'static str) {
        match self {
            Flag::Mark => (
                "INSERT INTO item_marks (user_id, item_id, mark, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                "DELETE FROM item_marks WHERE user_id = $1 AND item_id = $2 AND mark = $3",
            ),
            Flag::Follow => (
                "INSERT INTO follows (user_id, subject_type, subject_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                "DELETE FROM follows WHERE user_id = $1 AND subject_type = $2 AND subject_id = $3",
            ),
        }
    }
}

/// Sets or clears a flag; setting twice or clearing what is not there changes nothing.
async fn set_flag(c: &mut Conn, flag: Flag, key: [&str; 3], on: bool, now: i64) -> StoreResult<()> {
    let (insert, delete) = flag.statements();
    let q = sqlx::query(if on { insert } else { delete })
        .bind(key[0])
        .bind(key[1])
        .bind(key[2]);
    let q = if on { q.bind(now) } else { q };
    q.execute(c).await?;
    Ok(())
}

pub async fn set_mark(
    c: &mut Conn,
    user_id: &str,
    item_id: &str,
    mark: &str,
    on: bool,
    now: i64,
) -> StoreResult<()> {
    set_flag(c, Flag::Mark, [user_id, item_id, mark], on, now).await
}

/// Every mark a person has made: (item id, mark).
pub async fn marks_of_user(c: &mut Conn, user_id: &str) -> StoreResult<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT item_id, mark FROM item_marks WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(c)
            .await?,
    )
}

pub async fn set_follow(
    c: &mut Conn,
    user_id: &str,
    subject_type: &str,
    subject_id: &str,
    on: bool,
    now: i64,
) -> StoreResult<()> {
    set_flag(
        c,
        Flag::Follow,
        [user_id, subject_type, subject_id],
        on,
        now,
    )
    .await
}

pub async fn follows(c: &mut Conn, user_id: &str) -> StoreResult<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT subject_type, subject_id FROM follows WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(c)
            .await?,
    )
}
