//! Render benchmark for one system and tenant count (cell layout, cells of 50), run by
//! `scripts/bench.sh`. Times the whole render in memory (config parse and validation, building
//! every stack's program, emitting every file) against a floor: `serde_json::to_string` of the
//! same programs' documents. Peak memory is the process's high-water mark (VmHWM) after the
//! renders, before the floor's documents are built.
//!
//! Usage: render_bench SYSTEM TENANTS [ROUNDS]; prints one tab-separated line:
//! system, tenants, stacks, resources, output bytes, render ms (median), floor ms (median),
//! peak memory KiB.

use std::path::Path;
use std::time::{Duration, Instant};

use tapgen::lock::Lock;
use tapgen::placement::Placement;

fn config(system: &str, tenants: usize, jwks: &Path) -> String {
    let mut text = format!(
        "[platform]\nsystem = \"{system}\"\nproject = \"bench\"\nenvironment = \"dev\"\n\
         region = \"us-east-1\"\nvpc_cidr = \"10.0.0.0/16\"\naz_count = 2\n\
         base_domain = \"example.com\"\nlayout = \"cells\"\n\n[platform.cells]\nsize = 50\n"
    );
    if system == "serverless" {
        // A /17 per cell of 50 (100 /24s over two zones): a /10 holds 128 cells.
        text.push_str(&format!(
            "address_pool = \"10.64.0.0/10\"\n\n[platform.auth]\n\
             issuer = \"https://auth.example.com/\"\naudience = \"tenant-api\"\njwks = {:?}\n",
            jwks.display().to_string()
        ));
    }
    for n in 1..=tenants {
        let tier = if n % 10 == 0 { "premium" } else { "standard" };
        text.push_str(&format!(
            "\n[[tenants]]\nid = \"tenant-{n:05}\"\ntier = \"{tier}\"\n"
        ));
    }
    text
}

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1000.0
}

fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, system, tenants, rest @ ..] = args.as_slice() else {
        anyhow::bail!("usage: render_bench SYSTEM TENANTS [ROUNDS]");
    };
    let tenants: usize = tenants.parse()?;
    let rounds: usize = rest.first().map_or(Ok(5), |r| r.parse())?;
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = config(system, tenants, &repo.join("examples/keys/jwks.json"));
    let config_path = repo.join("bench-tenants.toml");
    let file = config_path.display().to_string();

    let mut render_times = Vec::new();
    let mut output_bytes = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        let config = tenancy::parse(&text, &file, &repo).map_err(|e| anyhow::anyhow!("{e}"))?;
        let rendered = tapgen::render(&config, &config_path, &Lock::default())?;
        render_times.push(start.elapsed());
        output_bytes = rendered.files.values().map(String::len).sum::<usize>();
    }
    let peak = peak_kib();

    let config = tenancy::parse(&text, &file, &repo).map_err(|e| anyhow::anyhow!("{e}"))?;
    let placement = Placement::new(&config, &file, &Lock::default())?;
    let stacks = tapgen::systems::build(&config, &placement)?;
    let documents = stacks
        .0
        .iter()
        .map(|s| s.program.to_value())
        .collect::<Result<Vec<_>, _>>()?;
    let mut floor_times = Vec::new();
    for _ in 0..rounds {
        let start = Instant::now();
        let bytes: usize = documents
            .iter()
            .map(|d| serde_json::to_string(d).map(|s| s.len()))
            .sum::<Result<_, _>>()?;
        floor_times.push(start.elapsed());
        assert!(bytes > 0);
    }
    println!(
        "{system}\t{tenants}\t{}\t{}\t{output_bytes}\t{:.1}\t{:.1}\t{peak}",
        stacks.0.len(),
        stacks.resources(),
        median(render_times),
        median(floor_times),
    );
    Ok(())
}
