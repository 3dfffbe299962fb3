//! The `offercheck` binary: parse the command line, call the library, turn
//! the outcome into an exit code (0 ready, 1 not ready, 2 could not check).

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use clap::{CommandFactory, Parser};

use offercheck::authoring::{init, logos};
use offercheck::checks::{self, Check};
use offercheck::manifest::schema;
use offercheck::policy::PolicyName;
use offercheck::render::{self, Format, Style};
use offercheck::report::Verdict;
use offercheck::text::visible;
use offercheck::{Options, docs};

mod cli;

use cli::{CheckArgs, Cli, ColorArg, Command, InitArgs, ListFormat, LogosArgs};

/// Exit code for "could not check": bad arguments, unreadable input, unwritable output.
const COULD_NOT_CHECK: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and the version are the tool's own text, printed as clap prints them.
        Err(error) if !error.use_stderr() => error.exit(),
        // An argument is quoted in the error: shown as any untrusted text.
        Err(error) => {
            say(&error.render().to_string());
            return ExitCode::from(COULD_NOT_CHECK);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            say(&format!("error: {error:#}"));
            ExitCode::from(COULD_NOT_CHECK)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check(args) => check(args),
        Command::Explain { id } => match docs::explain(&id) {
            Ok(text) => {
                print(&text)?;
                Ok(ExitCode::SUCCESS)
            }
            Err(message) => bail!(message),
        },
        Command::Rules { format } => {
            print(&match format {
                ListFormat::Text => docs::rules_text(),
                ListFormat::Json => docs::rules_json(),
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init(args) => init_offer(args),
        Command::Logos(args) => make_logos(args),
        Command::Schema => {
            print(&schema::schema_text())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "offercheck", &mut script);
            print(&String::from_utf8_lossy(&script))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn init_offer(args: InitArgs) -> anyhow::Result<ExitCode> {
    let options = init::InitOptions {
        policy: args.policy,
        force: args.force,
    };
    let outcome = init::init(&args.dir.unwrap_or_default(), &options)?;
    print(&outcome.summary())?;
    Ok(ExitCode::SUCCESS)
}

/// `logos`: the files, progress and warnings on standard error, the table on
/// standard output, ready to paste into the manifest: `--manifest`'s, else
/// one in the current folder.
fn make_logos(args: LogosArgs) -> anyhow::Result<ExitCode> {
    let shown = |path: &Path| offercheck::source::display_path(path);
    let here = Path::new(offercheck::files::MANIFEST_NAME);
    let (policy, from) = match (args.policy, &args.manifest) {
        (Some(policy), _) => (policy, "--policy".to_owned()),
        (None, Some(manifest)) => match logos::manifest_policy(manifest) {
            Ok(Some(policy)) => (policy, format!("the policy of {}", shown(manifest))),
            Ok(None) => (
                PolicyName::default(),
                format!("{} names no policy", shown(manifest)),
            ),
            Err(message) => {
                bail!("{message} (--policy chooses the policy without reading the manifest)")
            }
        },
        (None, None) => match logos::policy_of_manifest(here) {
            Some(policy) => (policy, "the policy of offer.toml".to_owned()),
            None if here.is_file() => (
                PolicyName::default(),
                "offer.toml names no policy or cannot be read; --policy chooses one".to_owned(),
            ),
            None => (PolicyName::default(), "the default policy".to_owned()),
        },
    };
    // The folder the table's paths start from, as a manifest reads them.
    let manifest_dir = match &args.manifest {
        Some(manifest) => manifest.parent().unwrap_or(Path::new("")),
        None => Path::new(""),
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| manifest_dir.join(logos::DEFAULT_DIR));
    let existing = if args.force {
        logos::Existing::Replace
    } else {
        logos::Existing::Refuse
    };
    let generated = logos::generate(&args.from, &out, policy.policy(), existing)?;
    say(&format!("logos of {policy} ({})", visible(&from)));
    for logo in &generated.logos {
        say(&format!(
            "wrote {} ({}x{})",
            visible(&shown(&logo.path)),
            logo.width,
            logo.height
        ));
    }
    for warning in &generated.warnings {
        say(&format!("warning: {}", visible(warning)));
    }
    if !inside_the_offer(&out, manifest_dir) {
        say(&format!(
            "warning: {} lies outside the offer's folder and the working folder, where check reads no file: write the logos inside the offer",
            visible(&shown(&out))
        ));
    }
    if args.manifest.is_none() {
        if let Some(other) = manifest_beside(&out).filter(|other| !same_file(other, here)) {
            say(&format!(
                "warning: the table's paths are for a manifest in the current folder; for {0}, run with --manifest {0}, which also takes its policy",
                visible(&shown(&other))
            ));
        }
    }
    print(&logos::table(&generated.logos, manifest_dir))?;
    Ok(ExitCode::SUCCESS)
}

/// Whether the logos' folder lies where `check` reads files: in the
/// manifest's folder or the working folder, links followed.
fn inside_the_offer(out: &Path, manifest_dir: &Path) -> bool {
    let Ok(out) = dunce::canonicalize(out) else {
        return true;
    };
    let manifest_dir = if manifest_dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        manifest_dir
    };
    [
        dunce::canonicalize(manifest_dir),
        std::env::current_dir().and_then(dunce::canonicalize),
    ]
    .into_iter()
    .flatten()
    .any(|root| out.starts_with(root))
}

/// The manifest in the folder that holds `out`, where a publisher who
/// writes logos into an offer's folder most likely keeps it.
fn manifest_beside(out: &Path) -> Option<std::path::PathBuf> {
    let manifest = out.parent()?.join(offercheck::files::MANIFEST_NAME);
    manifest.is_file().then_some(manifest)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let options = Options {
        policy: args.policy,
        offline: args.offline,
        fail_on: args.fail_on,
        allow_private_hosts: args.allow_private_hosts,
        today: args.today,
        only: check_ids(&args.only, "--only")?,
        skip: check_ids(&args.skip, "--skip")?,
        network: offercheck::net::Settings {
            timeout: Duration::from_secs(args.timeout),
            progress: std::io::stderr()
                .is_terminal()
                .then(|| Arc::new(ProgressBar::new()) as Arc<dyn offercheck::net::Progress>),
            ..Default::default()
        },
    };
    if !checks::ALL.iter().any(|check| options.selected(check.id)) {
        if args.only.is_empty() {
            bail!(
                "--skip leaves no check to run: it names every check (offercheck rules lists them)"
            );
        }
        bail!(
            "--only and --skip leave no check to run: every check --only names is left out by --skip (offercheck rules lists the checks)"
        );
    }
    let format = args.format;
    // `--output -` is standard output, as for most tools that write files.
    let output = args.output.filter(|path| path.as_os_str() != "-");
    let to_terminal = output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    colored::control::set_override(color);

    let report = offercheck::check(&args.paths, &options);
    if format != Format::Human {
        for notice in &report.notices {
            eprintln!("warning: {}", offercheck::render::visible(notice));
        }
    }
    let style = Style { color };
    match &output {
        Some(path) => {
            write_report(path, &report, format, style)?;
            // The report is in a file; the job's log still says how it ended.
            eprintln!(
                "{}; report written to {}",
                render::human::verdict_line(&report),
                render::one_line(&offercheck::source::display_path(path))
            );
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match render::write(&report, format, style, &mut out).and_then(|()| out.flush()) {
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other.context("cannot write to standard output")?,
            }
        }
    }
    if format == Format::Github {
        append_step_summary(&report);
    }
    Ok(ExitCode::from(match report.verdict() {
        Verdict::Ready => 0,
        Verdict::NotReady => 1,
        Verdict::CouldNotCheck => COULD_NOT_CHECK,
    }))
}

/// Writes the report to `--output`, creating the folders it names: a
/// pipeline's `reports/` does not exist before the first run.
/// Writes the report to a file, creating the folders it names.
fn write_report(
    path: &Path,
    report: &offercheck::report::Report,
    format: Format,
    style: Style,
) -> anyhow::Result<()> {
    let shown = offercheck::source::display_path(path);
    if let Some(folder) = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        std::fs::create_dir_all(folder).with_context(|| {
            format!(
                "cannot write the report to {shown}: cannot create the folder {}",
                offercheck::source::display_path(folder)
            )
        })?;
    }
    let file = std::fs::File::create(path)
        .with_context(|| format!("cannot write the report to {shown}"))?;
    let mut out = std::io::BufWriter::new(file);
    render::write(report, format, style, &mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot write the report to {shown}"))
}

/// Adds the Markdown report to the job summary of GitHub Actions, within
/// what is left of the step's limit. A summary that cannot be written is
/// said on standard error: the report itself is out, so the exit code stays
/// the report's.
fn append_step_summary(report: &offercheck::report::Report) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return;
    };
    let written = std::fs::metadata(&path).map_or(0, |meta| meta.len());
    let budget = render::github::STEP_SUMMARY_LIMIT.saturating_sub(written);
    let summary = render::github::step_summary(report, budget);
    if summary.is_empty() {
        return;
    }
    let appended = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| file.write_all(summary.as_bytes()));
    if let Err(error) = appended {
        say(&format!(
            "warning: cannot add the summary to GITHUB_STEP_SUMMARY ({}): {error}",
            visible(&std::path::Path::new(&path).display().to_string())
        ));
    }
}

/// The checks named by `--only` or `--skip`.
fn check_ids(ids: &[String], option: &str) -> anyhow::Result<Vec<&'static Check>> {
    ids.iter()
        .map(|id| {
            checks::find(id.trim()).ok_or_else(|| {
                let mut message = format!("{option}: no check is called `{id}`");
                if let Some(near) = offercheck::suggest::nearest(id, checks::ids()) {
                    message.push_str(&format!("; did you mean `{near}`?"));
                }
                message.push_str(" (offercheck rules lists them)");
                anyhow::anyhow!(message)
            })
        })
        .collect()
}

/// The requests of a run, on standard error while they are under way: only
/// on a terminal, and gone once they are done.
#[derive(Debug)]
struct ProgressBar(indicatif::ProgressBar);

impl ProgressBar {
    fn new() -> Self {
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} checking URLs {pos}/{len} {wide_msg}",
        ) {
            bar.set_style(style);
        }
        Self(bar)
    }
}

impl offercheck::net::Progress for ProgressBar {
    fn start(&self, total: usize) {
        self.0.set_length(u64::try_from(total).unwrap_or(u64::MAX));
        self.0.enable_steady_tick(Duration::from_millis(100));
    }

    fn done(&self, url: &url::Url) {
        self.0.inc(1);
        // A package URL's signature is a secret, on a terminal too.
        self.0
            .set_message(offercheck::text::redact(url.as_str()).into_owned());
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// Writes to standard output; a closed pipe (`| head`) ends quietly.
/// A line for standard error, as any text that may quote the repository,
/// a file name or an argument is shown (safety.md §1).
fn say(text: &str) {
    let text = offercheck::text::lines(text);
    eprintln!("{}", text.trim_end_matches('\n'));
}

fn print(text: &str) -> anyhow::Result<()> {
    let text = offercheck::text::lines(text);
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}
