//! Render benchmark for one system and tenant count (cell layout, cells of 50), run by
//! `scripts/bench.sh`. Times the whole render in memory (config parse and validation, building
//! every stack's program, emitting every file) against a floor: `serde_json::to_string` of the
//! same programs' documents. Times are this thread's CPU time (the machine is shared, so wall
//! time mostly measures the neighbours), median of ROUNDS. Peak memory is the process's
//! maximum resident set after the renders, before the floor's documents are built.
//!
//! Usage: render_bench SYSTEM TENANTS [ROUNDS] [--past-hard-limits]; prints one tab-separated
//! line: system, tenants, stacks, resources, output bytes, render ms, floor ms, wall ms of the
//! render, peak memory KiB. `render_bench SYSTEM TENANTS --config` prints the generated config
//! instead, so `tapgen render` itself can be asked about it. A config over a hard AWS limit is
//! refused as `tapgen render` refuses it; with `--past-hard-limits` the same steps are timed
//! with the ledger computed but its refusal skipped, to see how the work grows past the
//! limit (such a render is not deployable).

use std::path::Path;
use std::time::{Duration, Instant};

use tapgen::lock::Lock;
use tapgen::placement::Placement;

fn config(system: &str, tenants: usize, repo: &Path) -> anyhow::Result<String> {
    if system == "enterprise" {
        return enterprise_config(tenants, repo);
    }
    let mut text = format!(
        "[platform]\nsystem = \"{system}\"\nproject = \"bench\"\nenvironment = \"dev\"\n\
         region = \"us-east-1\"\nvpc_cidr = \"10.0.0.0/16\"\naz_count = 2\n\
         base_domain = \"example.com\"\nlayout = \"cells\"\n\n[platform.cells]\nsize = 50\n"
    );
    if system == "serverless" {
        // A /17 per cell of 50 (100 /24s over two zones): a /10 holds 128 cells.
        let jwks = repo.join("examples/keys/jwks.json");
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
    Ok(text)
}

/// System B in cells of 50: the platform of examples/scale/enterprise-500.toml and its tenant
/// mix, which at 500 this reproduces: every tenth tenant premium, every third on its own
/// domains (hosted DNS with two names and customer DNS with one, alternating), the first two
/// of those with a Cognito custom domain (AWS allows four per account, hard).
fn enterprise_config(tenants: usize, repo: &Path) -> anyhow::Result<String> {
    let example = std::fs::read_to_string(repo.join("examples/scale/enterprise-500.toml"))?;
    let platform = example.split("\n[[tenants]]").next().unwrap_or_default();
    let mut text = platform.to_string();
    let width = tenants.to_string().len().max(3);
    for n in 1..=tenants {
        let id = format!("org-{n:0width$}");
        let tier = if n % 10 == 0 { "premium" } else { "standard" };
        text.push_str(&format!(
            "\n[[tenants]]\nid = \"{id}\"\ntier = \"{tier}\"\n"
        ));
        if n % 3 != 1 {
            continue;
        }
        if n % 6 == 1 {
            text.push_str(&format!(
                "domains = [\"{id}.io\", \"www.{id}.io\"]\ndns = \"hosted\"\n"
            ));
        } else {
            text.push_str(&format!(
                "domains = [\"app.{id}.example\"]\ndns = \"customer\"\n"
            ));
        }
        if n == 1 || n == 13 {
            text.push_str(&format!("auth_domain = \"auth.{id}.io\"\n"));
        }
    }
    Ok(text)
}

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1000.0
}

/// CPU time of the calling thread.
fn cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to fill in.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Times `f` in CPU and wall time.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let (cpu, wall) = (cpu_time(), Instant::now());
    let result = f();
    (result, cpu_time() - cpu, wall.elapsed())
}

fn peak_kib() -> i64 {
    // SAFETY: getrusage fills in the zeroed struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_maxrss
}

/// What `tapgen::render` does, minus its refusal of a hard limit exceeded: the ledger is
/// still computed, so the work timed is the same.
fn render_past_hard_limits(
    config: &tenancy::Config,
    config_path: &Path,
) -> anyhow::Result<tapgen::Rendered> {
    let file = config_path.display().to_string();
    let placement = Placement::new(config, &file, &Lock::default())?;
    let stacks = tapgen::systems::build(config, &placement)?;
    tapgen::waivers::check(config, &file, &stacks)?;
    let plan = tapgen::plan::Plan::new(config, &stacks.for_plan());
    assert!(
        plan.hard_limits_exceeded().count() > 0,
        "this config renders: time it without --past-hard-limits"
    );
    let files = tapgen::project::files(config, "bench-tenants.toml", &stacks, &placement)?;
    Ok(tapgen::Rendered {
        files,
        resources: stacks.resources(),
    })
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, system, tenants, rest @ ..] = args.as_slice() else {
        anyhow::bail!(
            "usage: render_bench SYSTEM TENANTS [ROUNDS] [--past-hard-limits | --config]"
        );
    };
    let flag = |name: &str| rest.iter().any(|a| a == name);
    let tenants: usize = tenants.parse()?;
    let rounds: usize = rest
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or(Ok(5), |r| r.parse())?;
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = config(system, tenants, &repo)?;
    if flag("--config") {
        print!("{text}");
        return Ok(());
    }
    let past_hard_limits = flag("--past-hard-limits");
    let config_path = repo.join("bench-tenants.toml");
    let file = config_path.display().to_string();

    let mut render_times = Vec::new();
    let mut wall_times = Vec::new();
    let mut output_bytes = 0;
    for _ in 0..rounds {
        let (rendered, cpu, wall) = timed(|| -> anyhow::Result<_> {
            let config = tenancy::parse(&text, &file, &repo).map_err(|e| anyhow::anyhow!("{e}"))?;
            if past_hard_limits {
                render_past_hard_limits(&config, &config_path)
            } else {
                tapgen::render(&config, &config_path, &Lock::default())
            }
        });
        output_bytes = rendered?.files.values().map(String::len).sum::<usize>();
        render_times.push(cpu);
        wall_times.push(wall);
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
        let (bytes, cpu, _) = timed(|| {
            documents
                .iter()
                .map(|d| serde_json::to_string(d).map(|s| s.len()))
                .sum::<Result<usize, _>>()
        });
        assert!(bytes? > 0);
        floor_times.push(cpu);
    }
    println!(
        "{system}\t{tenants}\t{}\t{}\t{output_bytes}\t{:.1}\t{:.1}\t{:.1}\t{peak}",
        stacks.0.len(),
        stacks.resources(),
        median(render_times),
        median(floor_times),
        median(wall_times),
    );
    Ok(())
}
