//! The package URL: an Azure Blob Storage URL with a shared access
//! signature that lets Partner Center read the zip, over https only, until
//! well after submission. Judged offline from its query, then like every
//! URL of the offer when online. Its signature is never printed.

use jiff::ToSpan;

use super::{LINKS, URL, URL_EXPIRY};
use crate::checks::{Context, Network, link};
use crate::manifest::{Offer, Spanned};
use crate::net::{Outcome, Request};
use crate::report::Finding;
use crate::text::{excerpt, redact};

/// The host every blob of Azure Storage is served from.
const BLOB_HOST: &str = ".blob.core.windows.net";
/// How long the signature must still hold, in days: "at least a month".
const EXPIRY_MARGIN_DAYS: i64 = 30;

pub fn check(
    offer: &Offer,
    context: &Context<'_>,
    value: &Spanned<String>,
    findings: &mut Vec<Finding>,
) {
    let location = offer.locate(value);
    let mut found = Vec::new();
    let url = link::check_form_at(
        context,
        value.get_ref(),
        location.clone(),
        "package URL",
        &LINKS.form,
        &mut found,
    );
    // http is not a warning here: Partner Center fetches the package over https.
    found.retain(|finding| !std::ptr::eq(finding.rule, &LINKS.form.insecure));
    if let Some(url) = url {
        let problem = |message: String| Finding::new(&URL, message).at(location.clone());
        if url.scheme() != "https" {
            found.push(problem(format!(
                "the package URL uses {}, not https",
                url.scheme()
            )));
        }
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        if !host.ends_with(BLOB_HOST) {
            found.push(problem(format!(
                "the package URL is on {}, not on Azure Blob Storage (*{BLOB_HOST})",
                excerpt(&host)
            )));
        }
        let query = |key: &str| {
            url.query_pairs()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value.into_owned())
        };
        // A parameter given twice is read differently by different servers:
        // the one judged here may not be the one Azure Storage honours.
        for key in ["sig", "sp", "spr", "se", "st", "sr", "sv"] {
            let times = url.query_pairs().filter(|(name, _)| name == key).count();
            if times > 1 {
                found.push(problem(format!(
                    "the package URL gives `{key}` {times} times: give each parameter of the signature once"
                )));
            }
        }
        if query("sig").is_none_or(|sig| sig.is_empty()) {
            found.push(problem(
                "the package URL has no shared access signature (`sig`)".to_owned(),
            ));
        }
        match query("sp") {
            None => found.push(problem(
                "the package URL's signature gives no permissions (`sp`); give read only: sp=r"
                    .to_owned(),
            )),
            Some(sp) if sp != "r" => found.push(problem(format!(
                "the package URL's signature gives the permissions sp={}: give read only (sp=r)",
                excerpt(&sp)
            ))),
            Some(_) => {}
        }
        match query("spr") {
            None => found.push(problem(
                "the package URL's signature names no protocol (`spr`), and its default allows http: add spr=https"
                    .to_owned(),
            )),
            Some(spr) if spr != "https" => found.push(problem(format!(
                "the package URL's signature allows spr={}: allow https only (spr=https)",
                excerpt(&spr)
            ))),
            Some(_) => {}
        }
        match query("se") {
            None => found.push(problem(
                "the package URL's signature has no expiry (`se`)".to_owned(),
            )),
            Some(se) => check_expiry(&se, context, &location, &mut found),
        }
        fetched(context, &url, location, &mut found);
    }
    // Whatever a message quotes of the URL, its signature stays out of it.
    for mut finding in found {
        finding.message = redact(&finding.message).into_owned();
        finding.subject = finding.subject.map(|subject| redact(&subject).into_owned());
        findings.push(finding);
    }
}

fn check_expiry(
    se: &str,
    context: &Context<'_>,
    location: &crate::report::Location,
    found: &mut Vec<Finding>,
) {
    let Some(expiry) = se
        .get(..10)
        .and_then(|date| date.parse::<jiff::civil::Date>().ok())
    else {
        found.push(
            Finding::new(
                &URL,
                format!(
                    "the package URL's expiry se={} is not a date (YYYY-MM-DDThh:mm:ssZ)",
                    excerpt(se)
                ),
            )
            .at(location.clone()),
        );
        return;
    };
    let today = context.today;
    if expiry < today {
        found.push(
            Finding::new(
                &URL,
                format!("the package URL's signature expired on {expiry} (today is {today})"),
            )
            .at(location.clone()),
        );
        return;
    }
    let margin = today
        .checked_add(EXPIRY_MARGIN_DAYS.days())
        .unwrap_or(today);
    if expiry < margin {
        let days = (expiry - today).get_days();
        found.push(
            Finding::new(
                &URL_EXPIRY,
                format!(
                    "the package URL's signature expires on {expiry}, {days} days after today ({today}); Microsoft asks for at least a month"
                ),
            )
            .at(location.clone()),
        );
    }
}

/// What fetching the URL gave. Azure Storage answers 403 to a signature
/// that is expired, revoked or wrong: for a blob that is a failure, not a
/// site turning robots away.
fn fetched(
    context: &Context<'_>,
    url: &url::Url,
    location: crate::report::Location,
    found: &mut Vec<Finding>,
) {
    if let Network::Fetched(outcomes) = context.network {
        if let Some(Outcome::Answered(answer)) = outcomes.get(&Request::page(url)) {
            let blob = url
                .host_str()
                .is_some_and(|host| host.to_ascii_lowercase().ends_with(BLOB_HOST));
            if blob && matches!(answer.status, 401 | 403) {
                found.push(
                    Finding::new(
                        &URL,
                        format!(
                            "Azure Storage answers {} to the package URL: its signature is expired, revoked or wrong",
                            answer.status_text()
                        ),
                    )
                    .at(location),
                );
                return;
            }
        }
    }
    link::fetched(context, url, location, "package URL", &LINKS, found);
}
