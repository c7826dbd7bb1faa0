//! Times "more like this" over an existing index: `cargo run --release -p lz-search --example
//! mlt_cost -- INDEX_DIR IDS_FILE` (one item id per line). First the full query, then the
//! same items' neighbours are computed and "more like this" is timed from them, for a reader
//! who sees everything and for a member.

use lz_search::{Access, SearchIndex};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn report(what: &str, mut times: Vec<f64>, found: usize) {
    times.sort_by(|a, b| a.total_cmp(b));
    let n = times.len();
    println!(
        "{what}: {n} items, {found} hits: p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, mean {:.3} ms",
        times[n / 2],
        times[n * 9 / 10],
        times[n * 99 / 100],
        times.iter().sum::<f64>() / n as f64
    );
}

fn main() -> Res<()> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("INDEX_DIR missing")?;
    let ids = std::fs::read_to_string(args.next().ok_or("IDS_FILE missing")?)?;
    let ids: Vec<&str> = ids.lines().filter(|l| !l.is_empty()).collect();
    if ids.is_empty() {
        return Err("IDS_FILE lists no item ids".into());
    }
    let t = std::time::Instant::now();
    let index = SearchIndex::open(std::path::Path::new(&dir))?;
    let opened = t.elapsed();
    let t = std::time::Instant::now();
    let queued = index.neighbours_pending()?;
    println!(
        "index opened in {:.1} ms; {queued} items queued for neighbours in {:.1} ms",
        opened.as_secs_f64() * 1000.0,
        t.elapsed().as_secs_f64() * 1000.0
    );
    let member = Access::Tokens(vec![
        "network".into(),
        "public".into(),
        "place:bench".into(),
        "org:bench".into(),
    ]);
    let time = |f: &dyn Fn(&str) -> Res<usize>| {
        let mut times = Vec::with_capacity(ids.len());
        let mut found = 0;
        for id in &ids {
            let t = std::time::Instant::now();
            found += f(id)?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        Res::Ok((times, found))
    };
    let (times, found) = time(&|id| Ok(index.more_like_this(id, &member, 5)?.len()))?;
    report("full query, member", times, found);

    for id in ids.iter().rev() {
        index.prioritise_neighbours(id)?;
    }
    let t = std::time::Instant::now();
    index.compute_neighbours(ids.len())?;
    println!(
        "neighbours of {} items computed in {:.1} s",
        ids.len(),
        t.elapsed().as_secs_f64()
    );
    for (what, access) in [("everything", Access::Everything), ("member", member)] {
        let (times, found) = time(&|id| {
            Ok(index
                .precomputed_more_like_this(id, &access, 5)?
                .map_or(0, |h| h.len()))
        })?;
        report(&format!("from neighbours, {what}"), times, found);
    }
    Ok(())
}
