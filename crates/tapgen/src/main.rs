//! The `tapgen` command line. Exit status: 0 success, 1 differences found by `--check`,
//! 2 bad input or usage.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use tapgen::lock::Lock;
use tapgen::output::{self, OutputDir};
use tapgen::Rendered;

/// Turns a tenant list into a deployable multi-tenant SaaS platform on AWS.
///
/// tapgen writes a Pulumi YAML project; `pulumi up` in that folder deploys it.
/// tapgen itself never calls AWS.
#[derive(Parser)]
#[command(name = "tapgen", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render CONFIG (a tenants.toml) into a Pulumi YAML project in DIR.
    ///
    /// DIR is replaced as a whole only once rendering has succeeded; files tapgen does not
    /// own there (e.g. Pulumi.<stack>.yaml) are kept. If DIR is a symbolic link, its target
    /// is written and the link kept. A tapgen.lock that is not valid or disagrees with CONFIG
    /// is refused (exit 2) and nothing is written (docs/lock.md). DIR/tapgen.lock records each
    /// tenant's slot so that no tenant's resources move when others are added,
    /// removed or reordered: commit it with the rest of DIR.
    Render {
        /// The tenants.toml to render.
        config: PathBuf,
        /// The project folder to write (created if missing).
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
        /// Write nothing; exit 0 if DIR already holds exactly this render, 1 (listing the
        /// differing files and resources) if not. Use it as the pull-request gate.
        #[arg(long)]
        check: bool,
    },
    /// Check a rendered project in DIR without deploying it.
    ///
    /// Every resource and property against the pinned pulumi-aws schema, the Pulumi YAML
    /// structure and references, and the isolation and security policy rules
    /// (docs/policies.md). Prints one line per problem and a count; exits 1 on any problem.
    /// Findings waived in tenants.toml ([[waivers]]) are printed but do not fail.
    Check {
        /// The rendered project folder.
        dir: PathBuf,
    },
    /// Show what CONFIG would render, writing nothing: stacks, tenants, resource counts and
    /// the AWS quotas they consume.
    ///
    /// Exit status: 0 when every quota fits its default limit, 1 when an adjustable quota
    /// must be raised first (the ledger names its quota code), 2 when a limit AWS does not
    /// raise would be exceeded (or on bad input).
    Plan {
        /// The tenants.toml to plan.
        config: PathBuf,
        /// A rendered project folder whose tapgen.lock the plan keeps (slots and groups).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// text for people, json for tools.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the JSON Schema of tenants.toml.
    Schema,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

enum Outcome {
    Done,
    Differences,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Render {
            config,
            output,
            check,
        } => render(&config, &output, check),
        Command::Check { dir } => check_project(&dir),
        Command::Plan {
            config,
            dir,
            format,
        } => plan(&config, dir.as_deref(), format),
        Command::Schema => schema(),
    };
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Differences) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn render(config_path: &Path, dir: &Path, check: bool) -> Result<Outcome> {
    let config = tenancy::load(config_path)?;
    let out = if check {
        OutputDir::for_reading(dir)?
    } else {
        OutputDir::for_render(dir)?
    };
    let previous = Lock::read_for(out.path(), &config, config_path)?;
    let Rendered { files, resources } = tapgen::render(&config, config_path, &previous)?;
    if check {
        let differences = output::differences(out.path(), &files, &previous);
        if differences.is_empty() {
            println!("{} is up to date ({} files)", dir.display(), files.len());
            return Ok(Outcome::Done);
        }
        println!(
            "{} differs from a fresh render of {}:",
            dir.display(),
            config_path.display()
        );
        for line in &differences {
            println!("  {line}");
        }
        return Ok(Outcome::Differences);
    }
    out.write(&files, &previous)?;
    println!(
        "rendered {} tenants, {resources} resources into {}",
        config.tenants.len(),
        dir.display()
    );
    Ok(Outcome::Done)
}

/// Checks every stack folder of DIR: DIR itself, or `platform/` and each `cells/*/` of a
/// cell layout. Waivers come from DIR's tapgen.lock.
fn check_project(dir: &Path) -> Result<Outcome> {
    let out = OutputDir::for_reading(dir)?;
    let dir = out.path();
    let lock = Lock::read(dir)?;
    let mut problems = 0;
    for stack in stack_folders(dir)? {
        let report = check::check(&stack, &lock.waivers)?;
        for (finding, waiver) in &report.waived {
            println!("waived: {finding} (reason: {})", waiver.reason);
        }
        for finding in &report.findings {
            println!("{finding}");
        }
        println!(
            "{} problems, {} waived in {}",
            report.findings.len(),
            report.waived.len(),
            stack.display()
        );
        problems += report.findings.len();
    }
    Ok(if problems == 0 {
        Outcome::Done
    } else {
        Outcome::Differences
    })
}

fn stack_folders(dir: &Path) -> Result<Vec<PathBuf>> {
    let platform = dir.join("platform");
    if dir.join("Main.yaml").exists() || !platform.join("Main.yaml").exists() {
        return Ok(vec![dir.to_path_buf()]);
    }
    let mut folders = vec![platform];
    let cells = dir.join("cells");
    if cells.is_dir() {
        let mut found: Vec<PathBuf> = std::fs::read_dir(&cells)?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.join("Main.yaml").exists())
            .collect();
        found.sort();
        folders.extend(found);
    }
    Ok(folders)
}

fn plan(config_path: &Path, dir: Option<&Path>, format: Format) -> Result<Outcome> {
    let config = tenancy::load(config_path)?;
    let previous = match dir {
        Some(dir) => Lock::read_for(OutputDir::for_reading(dir)?.path(), &config, config_path)?,
        None => Lock::default(),
    };
    let plan = tapgen::plan(&config, config_path, &previous)?;
    match format {
        Format::Text => print!("{}", tapgen::plan::text(&plan)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&plan)?),
    }
    Ok(if plan.raises_needed().next().is_some() {
        Outcome::Differences
    } else {
        Outcome::Done
    })
}

fn schema() -> Result<Outcome> {
    let schema = serde_json::to_string_pretty(&tenancy::json_schema())?;
    println!("{schema}");
    Ok(Outcome::Done)
}
