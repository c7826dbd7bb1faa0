// Migrations are embedded by `sqlx::migrate!`: rebuild when one is added or changed, which
// cargo would not notice on its own (sqlx's documented advice).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
