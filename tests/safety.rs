//! safety.md §1 and §2, through the binary: an offer written by an attacker
//! (values, keys, folder names and files full of CI commands, mentions,
//! links, control and bidirectional characters) is reported in every format
//! without one line that a CI agent would obey, and without a byte of a file
//! outside the offer.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::TestOffer;

const FORMATS: [&str; 8] = [
    "human", "json", "sarif", "junit", "github", "azure", "gitlab", "markdown",
];

/// What an attacker writes wherever text is shown.
const PAYLOADS: [&str; 6] = [
    "##vso[task.setvariable variable=ready]true",
    "##[set-output name=ready;]true",
    "::error file=x::owned",
    "##VSO[task.prependpath]/tmp/evil-bin",
    "@contoso/admins see https://evil.example/x and www.evil.example",
    "\u{1b}[2J\u{9b}31m\u{202e}txt.exe\u{200b}",
];

/// The binary, run in `dir` with no CI variables set.
fn offercheck(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("offercheck").unwrap();
    command.current_dir(dir);
    for name in [
        "NO_COLOR",
        "GITHUB_WORKSPACE",
        "GITHUB_STEP_SUMMARY",
        "BUILD_SOURCESDIRECTORY",
        "CI_PROJECT_DIR",
    ] {
        command.env_remove(name);
    }
    command
}

/// A TOML basic string holding `text`, escaped as TOML requires.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// The example offer with every payload in values, in the description and
/// the app registration, and in the name of the folder it lies in.
fn hostile_offer(root: &Path) -> String {
    let offer = TestOffer::contoso();
    let services: Vec<String> = PAYLOADS.iter().map(|p| toml_string(p)).collect();
    offer.replace(
        "services = [",
        &format!("services = [{}, ", services.join(", ")),
    );
    offer.replace(
        "name = \"Contoso Field Inspections\"",
        &format!("name = {}", toml_string(&PAYLOADS.concat())),
    );
    offer.replace(
        "mpn_id = \"1234567\"",
        &format!("mpn_id = {}", toml_string(PAYLOADS[0])),
    );
    offer.replace(
        "url = \"https://contoso.com/support\"",
        &format!(
            "url = {}",
            toml_string(&format!("https://contoso.com/{}", PAYLOADS[1]))
        ),
    );
    let description = format!(
        "<p>{}</p>\n{}\n<script>{}</script>\n",
        PAYLOADS.join("</p><p>"),
        PAYLOADS[2],
        PAYLOADS[3]
    );
    offer.write("listing/description.html", description);
    offer.write(
        "aad/app-registration.json",
        serde_json::json!({
            "appId": PAYLOADS[0],
            "signInAudience": PAYLOADS[1],
            "replyUrlsWithType": [{ "url": format!("http://{}", PAYLOADS[2]), "type": "Web" }],
        })
        .to_string(),
    );
    // Acceptances repeat their reason under each finding they accept, and
    // quote a rule they cannot name.
    let mut text = offer.manifest_text();
    text.push_str(&format!(
        "\n[[accept]]\nrule = \"app-name\"\nreason = {}\n\n[[accept]]\nrule = {}\nreason = {}\n",
        toml_string(&PAYLOADS.concat()),
        toml_string(PAYLOADS[0]),
        toml_string(PAYLOADS[1]),
    ));
    std::fs::write(offer.manifest(), text).unwrap();
    let folder = if cfg!(windows) {
        // Windows forbids `:` and control characters in names.
        "##vso[task.complete result=Succeeded]##[set-output name=ready]"
    } else {
        "##vso[task.complete result=Succeeded]##[set-output name=ready]\n::error::x"
    };
    let target = root.join(folder);
    std::fs::rename(offer.dir.keep(), &target).unwrap();
    format!("{folder}/offer.toml")
}

/// Every line of `output` that a CI agent would obey or that writes a
/// character raw that must be escaped; `own` says which commands the format
/// may write itself.
fn obeyed_lines(format: &str, output: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for line in output.lines() {
        let lower = line.to_ascii_lowercase();
        let trimmed = lower.trim_start();
        let own_azure = format == "azure"
            && (trimmed.starts_with("##vso[task.logissue ")
                || trimmed.starts_with("##vso[task.complete "));
        let own_github = format == "github"
            && ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|own| trimmed.starts_with(own));
        let rest = if own_azure {
            // The format's own command starts the line; what follows is data.
            lower
                .split_once(']')
                .map_or("", |(_, rest)| rest)
                .to_owned()
        } else {
            lower.clone()
        };
        if rest.contains("##vso[") || rest.contains("##[") {
            bad.push(line.to_owned());
        }
        if trimmed.starts_with("::") && !own_github {
            bad.push(line.to_owned());
        }
        if own_github && rest.contains("##") && rest.contains("##[") {
            bad.push(line.to_owned());
        }
        if line.chars().any(|c| {
            c.is_control() && c != '\t'
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}')
        }) {
            bad.push(line.to_owned());
        }
    }
    bad
}

#[test]
fn no_output_line_of_any_format_is_a_ci_command() {
    let root = tempfile::tempdir().unwrap();
    let manifest = hostile_offer(root.path());
    for format in FORMATS {
        for extra in [
            &["--offline"][..],
            &["--offline", "--policy", "partner-center-2023"],
        ] {
            let output = offercheck(root.path())
                .args(["check", &manifest, "--format", format])
                .args(extra)
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(1), "{format}");
            for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
                let text = String::from_utf8(bytes.clone()).unwrap();
                let bad = obeyed_lines(format, &text);
                assert!(bad.is_empty(), "{format} {stream}:\n{}", bad.join("\n"));
            }
        }
    }
}

#[test]
fn a_manifest_error_quoting_a_command_is_not_one() {
    let root = tempfile::tempdir().unwrap();
    let text = format!(
        "[offer]\n\"{}\" = 1\nname = \"x\"\n",
        "##vso[task.setvariable variable=x]1"
    );
    std::fs::write(root.path().join("offer.toml"), &text).unwrap();
    std::fs::write(
        root.path().join("syntax.toml"),
        "name = \"##vso[task.complete]\" ::error::x\n",
    )
    .unwrap();
    for manifest in ["offer.toml", "syntax.toml"] {
        for format in FORMATS {
            let output = offercheck(root.path())
                .args(["check", manifest, "--offline", "--format", format])
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(2), "{format}");
            let stdout = String::from_utf8(output.stdout).unwrap();
            let bad = obeyed_lines(format, &stdout);
            assert!(bad.is_empty(), "{manifest} {format}:\n{}", bad.join("\n"));
        }
    }
}

#[test]
fn a_quoted_value_key_or_policy_is_cut_at_60_characters() {
    // Longer than a drawn line of the manifest shows, too.
    let long = format!("{}SECRET-TAIL", "v".repeat(150));
    let cases = [
        (
            "uptime_sla = \"99.95%\"".to_owned(),
            format!("uptime_sla = \"{long}\""),
        ),
        ("[publisher]".to_owned(), format!("[publisher]\n{long} = 1")),
        (
            "policy = \"appsource-2019\"".to_owned(),
            format!("policy = \"{long}\""),
        ),
    ];
    for (from, to) in cases {
        let offer = TestOffer::contoso();
        offer.replace(&from, &to);
        for format in FORMATS {
            let output = offercheck(offer.dir.path())
                .args(["check", "offer.toml", "--offline", "--format", format])
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                !stdout.contains("SECRET-TAIL") && !stderr.contains("SECRET-TAIL"),
                "{to} {format}: {stdout}{stderr}"
            );
            assert!(
                stdout.contains(&format!("{}…", "v".repeat(60))),
                "{to} {format}: {stdout}"
            );
        }
    }
}

#[test]
fn markdown_makes_no_mention_or_link_from_the_offer() {
    let root = tempfile::tempdir().unwrap();
    let manifest = hostile_offer(root.path());
    let output = offercheck(root.path())
        .args(["check", &manifest, "--offline", "--format", "markdown"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    // Outside code spans there is no `@name`, no `https://` and no `www.`.
    for line in text.lines() {
        let mut outside = String::new();
        let mut in_code = false;
        let mut ticks = 0;
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '\\' {
                i += 2;
                continue;
            }
            if chars[i] == '`' {
                let mut run = 0;
                while i < chars.len() && chars[i] == '`' {
                    run += 1;
                    i += 1;
                }
                if !in_code {
                    in_code = true;
                    ticks = run;
                } else if run == ticks {
                    in_code = false;
                }
                continue;
            }
            if !in_code {
                outside.push(chars[i]);
            }
            i += 1;
        }
        let lower = outside.to_ascii_lowercase();
        assert!(!lower.contains("@contoso"), "{line}");
        assert!(!lower.contains("https://evil"), "{line}");
        assert!(!lower.contains("www.evil"), "{line}");
        assert!(!lower.contains("<script"), "{line}");
    }
}

#[test]
fn a_file_outside_the_offer_is_not_read_and_not_shown() {
    let root = tempfile::tempdir().unwrap();
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(
        secret.path().join("secret.html"),
        "<p>TOP-SECRET-CONTENT</p>\n",
    )
    .unwrap();
    let offer = TestOffer::contoso();
    let absolute = secret.path().join("secret.html");
    offer.replace(
        "description_file = \"listing/description.html\"",
        &format!(
            "description_file = {}",
            toml_string(&absolute.to_string_lossy())
        ),
    );
    offer.replace(
        "app_registration = \"aad/app-registration.json\"",
        "app_registration = \"../../../../../../../../etc/passwd\"",
    );
    std::fs::rename(offer.dir.keep(), root.path().join("offer")).unwrap();
    for format in FORMATS {
        let output = offercheck(root.path())
            .args(["check", "offer/offer.toml", "--offline", "--format", format])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{format}");
        let all = [output.stdout, output.stderr].concat();
        let text = String::from_utf8_lossy(&all);
        assert!(!text.contains("TOP-SECRET-CONTENT"), "{format}");
        assert!(!text.contains("root:"), "{format}");
        if format == "json" {
            assert!(text.contains("outside the offer's folder"), "{text}");
        }
    }
}

#[test]
fn nothing_under_git_is_read() {
    let offer = TestOffer::contoso();
    offer.write(".git/description.html", "<p>from git</p>");
    offer.replace(
        "description_file = \"listing/description.html\"",
        "description_file = \"./.git/description.html\"",
    );
    let output = offercheck(offer.dir.path())
        .args(["check", "offer.toml", "--offline", "--format", "json"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("inside a .git folder"), "{text}");
    assert_eq!(output.status.code(), Some(1));
}

#[cfg(unix)]
#[test]
fn a_manifest_that_links_outside_is_not_read() {
    let root = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/proc/self/environ", root.path().join("offer.toml")).unwrap();
    for format in FORMATS {
        let output = offercheck(root.path())
            .env("OFFERCHECK_SECRET_PROBE", "leaked-value")
            .args(["check", "offer.toml", "--offline", "--format", format])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{format}");
        let all = [output.stdout, output.stderr].concat();
        let text = String::from_utf8_lossy(&all);
        assert!(!text.contains("leaked-value"), "{format}: {text}");
        assert!(!text.contains("PATH="), "{format}");
        if format == "human" {
            assert!(text.contains("symbolic link"), "{text}");
        }
    }
}

#[cfg(unix)]
#[test]
fn a_logo_that_links_outside_is_a_finding_and_not_opened() {
    let offer = TestOffer::contoso();
    std::fs::remove_file(offer.dir.path().join("logos/small-40.png")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", offer.dir.path().join("logos/small-40.png")).unwrap();
    let report = offer.check();
    let finding = &common::result(&report, "logos").findings[0];
    assert_eq!(finding.rule.id, "logos/unreadable");
    assert!(
        finding.message.contains("outside the offer's folder"),
        "{}",
        finding.message
    );
}

#[test]
fn the_other_commands_print_no_ci_command_from_a_manifest_or_an_argument() {
    let payload = "x\n::error::injected ##vso[task.setvariable variable=X]1 ##[group]\u{1b}[2J";
    let root = tempfile::tempdir().unwrap();
    std::fs::write(root.path().join("art.png"), common::png(400, 400)).unwrap();
    std::fs::write(
        root.path().join("offer.toml"),
        format!("policy = {}\n", toml_string(payload)),
    )
    .unwrap();
    let runs: [&[&str]; 6] = [
        &["logos", "--from", "art.png", "--manifest", "offer.toml"],
        &["logos", "--from", payload],
        &["explain", payload],
        &["check", "--only", payload],
        &["check", "--format", payload],
        &["init", payload],
    ];
    for args in runs {
        let output = offercheck(root.path()).args(args).output().unwrap();
        for stream in [&output.stdout, &output.stderr] {
            let text = String::from_utf8_lossy(stream);
            let bad = obeyed_lines("human", &text);
            assert!(bad.is_empty(), "{args:?}:\n{}", bad.join("\n"));
        }
    }
}

#[cfg(unix)]
#[test]
fn a_manifest_in_a_folder_that_links_outside_or_into_git_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("offer.toml"),
        "policy = \"SECRET-FROM-OUTSIDE\"\n",
    )
    .unwrap();
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join(".git")).unwrap();
    std::fs::write(
        root.path().join(".git/offer.toml"),
        "policy = \"SECRET-FROM-GIT\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), root.path().join("offers")).unwrap();
    std::os::unix::fs::symlink(".git", root.path().join("cfg")).unwrap();
    for manifest in ["offers/offer.toml", "cfg/offer.toml"] {
        let output = offercheck(root.path())
            .args(["check", manifest, "--offline"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{manifest}");
        let text = String::from_utf8_lossy(&[output.stdout, output.stderr].concat()).into_owned();
        assert!(!text.contains("SECRET"), "{manifest}: {text}");
        assert!(text.contains("symbolic link"), "{manifest}: {text}");
    }
}
