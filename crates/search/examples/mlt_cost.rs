//! Times "more like this" over an existing index: `cargo run --release -p lz-search --example
//! mlt_cost -- INDEX_DIR IDS_FILE` (one item id per line).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("INDEX_DIR missing")?;
    let ids = std::fs::read_to_string(args.next().ok_or("IDS_FILE missing")?)?;
    let index = lz_search::SearchIndex::open(std::path::Path::new(&dir))?;
    let access = lz_search::Access::Tokens(vec!["network".into(), "public".into()]);
    let mut times = Vec::new();
    let mut found = 0;
    for id in ids.lines().filter(|l| !l.is_empty()) {
        let t = std::time::Instant::now();
        found += index.more_like_this(id, &access, 5)?.len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    if times.is_empty() {
        return Err("IDS_FILE lists no item ids".into());
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let n = times.len();
    println!(
        "{n} items, {found} hits: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, mean {:.2} ms",
        times[n / 2],
        times[n * 9 / 10],
        times[n * 99 / 100],
        times.iter().sum::<f64>() / n as f64
    );
    Ok(())
}
