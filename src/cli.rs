//! The command line's shape (clap definitions only); `main.rs` acts on it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use offercheck::policy::PolicyName;
use offercheck::render::Format;
use offercheck::report::FailOn;

#[derive(Debug, Parser)]
#[command(
    name = "offercheck",
    version,
    about = "Checks a Dynamics 365 for Customer Engagement offer against Microsoft's AppSource prerequisites before you submit it",
    after_help = "Exit codes: 0 ready, 1 not ready, 2 could not check.\nRun `offercheck rules` for every check, `offercheck explain ID` for one."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check offers: each PATH is a manifest or a folder of `offer.toml` files
    Check(CheckArgs),
    /// Explain a check or a rule: what it means, why, how to fix it, its source
    Explain {
        /// A check id (`logos`) or a rule id (`logos/size`)
        id: String,
    },
    /// List every check and rule
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Write a commented offer.toml to start from, with an empty description and the schema
    Init(InitArgs),
    /// Write the logos a policy requires, as PNG, from one image, and print their [logos] table
    Logos(LogosArgs),
    /// Print the manifest's JSON Schema, for editors
    Schema,
    /// Print shell completions (bash, zsh, fish, powershell, elvish)
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The offer's folder, created if missing [default: the current folder]
    pub dir: Option<PathBuf>,

    /// The rule set the manifest names, and whose logos and limits it lists
    #[arg(long, value_enum, default_value_t = offercheck::authoring::init::DEFAULT_POLICY)]
    pub policy: PolicyName,

    /// Overwrite an existing offer.toml (an existing description is always kept)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct LogosArgs {
    /// The source image: PNG, JPEG or WebP, ideally square and of 350x350 pixels or more
    #[arg(long, value_name = "IMAGE")]
    pub from: PathBuf,

    /// The manifest the logos are for: its policy, and the folder the table's paths start from
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,

    /// The folder the logos are written to, created if missing, from the current folder [default: `logos` beside the manifest]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// The rule set whose sizes to write [default: the policy of the manifest (./offer.toml), else appsource-2019]
    #[arg(long, value_enum)]
    pub policy: Option<PolicyName>,

    /// Replace logo files that already exist
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Manifests or folders to check [default: ./offer.toml]
    pub paths: Vec<PathBuf>,

    /// Make no network request; network rules report `skip`
    #[arg(long)]
    pub offline: bool,

    /// The rule set, overriding the manifest's `policy`
    #[arg(long, value_enum)]
    pub policy: Option<PolicyName>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Write the report to this file instead of standard output (its folders are created; `-` is standard output); the verdict still goes to standard error
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The lowest status that makes an offer not ready
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "LEVEL")]
    pub fail_on: FailOn,

    /// Seconds allowed for each network request
    #[arg(long, default_value_t = 10, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,

    /// Also fetch URLs on loopback, private and link-local addresses (for tests against local servers)
    #[arg(long)]
    pub allow_private_hosts: bool,

    /// Run only these checks (repeatable, or comma-separated)
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub only: Vec<String>,

    /// Leave out these checks (repeatable, or comma-separated)
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub skip: Vec<String>,

    /// The date (YYYY-MM-DD) that expiry rules compare with, for reproducible reports [default: today, in UTC]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<jiff::civil::Date>,

    /// When to colour the human report (NO_COLOR set means never, unless `always`)
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,
}

/// `--today`: a calendar date written YYYY-MM-DD.
fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    let shaped = text.len() == 10
        && text.char_indices().all(|(at, c)| {
            if at == 4 || at == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(format!("`{text}` is not a date written YYYY-MM-DD"));
    }
    text.parse()
        .map_err(|_| format!("`{text}` is not a real date (YYYY-MM-DD)"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}
