//! The rule sets as data. Every limit that differs between Microsoft's 2019
//! prerequisites page and the later Partner Center documents lives here, and
//! only here; checks read them, they never hard-code one.

use std::fmt;
use std::str::FromStr;

/// A named rule set: the manifest's `policy`, or `--policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum PolicyName {
    /// The seed: the Cloud Partner Portal prerequisites page of 13 March 2019.
    #[default]
    #[value(name = "appsource-2019")]
    AppSource2019,
    /// Partner Center's documentation, 2021 to 2023.
    #[value(name = "partner-center-2023")]
    PartnerCenter2023,
    /// Partner Center from 2025: test drives retired, the package required.
    #[value(name = "marketplace-2025")]
    Marketplace2025,
}

impl PolicyName {
    pub const ALL: [PolicyName; 3] = [
        PolicyName::AppSource2019,
        PolicyName::PartnerCenter2023,
        PolicyName::Marketplace2025,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PolicyName::AppSource2019 => "appsource-2019",
            PolicyName::PartnerCenter2023 => "partner-center-2023",
            PolicyName::Marketplace2025 => "marketplace-2025",
        }
    }

    pub fn policy(self) -> &'static Policy {
        match self {
            PolicyName::AppSource2019 => &APPSOURCE_2019,
            PolicyName::PartnerCenter2023 => &PARTNER_CENTER_2023,
            PolicyName::Marketplace2025 => &MARKETPLACE_2025,
        }
    }
}

impl fmt::Display for PolicyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PolicyName {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        PolicyName::ALL
            .into_iter()
            .find(|policy| policy.as_str() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = PolicyName::ALL.iter().map(|p| p.as_str()).collect();
                let (last, first) = known.split_last().unwrap_or((&"", &[]));
                let mut message = format!(
                    "unknown policy `{}`; the policies are {} and {last}",
                    crate::text::excerpt(name),
                    first.join(", ")
                );
                if let Some(near) = crate::suggest::nearest(name, known.iter().copied()) {
                    message.push_str(&format!(" (did you mean `{near}`?)"));
                }
                message
            })
    }
}

/// One of the logos a listing shows, by the manifest's key under `[logos]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoSlot {
    Small,
    Medium,
    Large,
    Wide,
}

impl LogoSlot {
    /// Every slot, in the manifest's order.
    pub const ALL: [LogoSlot; 4] = [
        LogoSlot::Small,
        LogoSlot::Medium,
        LogoSlot::Large,
        LogoSlot::Wide,
    ];

    pub fn key(self) -> &'static str {
        match self {
            LogoSlot::Small => "small",
            LogoSlot::Medium => "medium",
            LogoSlot::Large => "large",
            LogoSlot::Wide => "wide",
        }
    }
}

/// The pixel size a logo must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoSize {
    Exact {
        width: u32,
        height: u32,
    },
    /// Square, with a side from `min` to `max` pixels, bounds included.
    Square {
        min: u32,
        max: u32,
    },
}

impl LogoSize {
    pub fn accepts(self, width: u32, height: u32) -> bool {
        match self {
            LogoSize::Exact {
                width: w,
                height: h,
            } => (width, height) == (w, h),
            LogoSize::Square { min, max } => width == height && (min..=max).contains(&width),
        }
    }

    /// The largest side allowed: anything bigger is not decoded at all.
    pub fn max_side(self) -> u32 {
        match self {
            LogoSize::Exact { width, height } => width.max(height),
            LogoSize::Square { max, .. } => max,
        }
    }
}

impl fmt::Display for LogoSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogoSize::Exact { width, height } => write!(f, "{width}x{height}"),
            LogoSize::Square { min, max } => {
                write!(f, "square, from {min}x{min} to {max}x{max}")
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogoSpec {
    pub slot: LogoSlot,
    pub required: bool,
    pub size: LogoSize,
}

/// How long a free trial may last, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrialDurations {
    AtLeast(u32),
    OneOf(&'static [u32]),
}

/// One rule set's limits.
#[derive(Debug, PartialEq)]
pub struct Policy {
    pub name: PolicyName,
    /// Every logo the policy knows, required or optional, in the manifest's order.
    pub logos: &'static [LogoSpec],
    /// Longest official app name, in characters.
    pub app_name_max_chars: usize,
    /// Characters allowed in the app name although they are emoji-like.
    pub app_name_allowed_symbols: &'static [char],
    /// Longest search results summary, in characters.
    pub summary_max_chars: usize,
    /// Longest description, in characters of its HTML source.
    pub description_max_chars: usize,
    /// The only HTML elements a description may use.
    pub description_tags: &'static [&'static str],
    /// Whether `support.help_url` is required (and must differ from `support.url`).
    pub help_url_required: bool,
    pub trial_durations: TrialDurations,
    /// The lowest uptime SLA accepted, in percent.
    pub uptime_min_percent: f64,
    /// What becomes of a test drive as the listing option.
    pub test_drive: TestDrive,
    /// Whether an offer without the AppSource package fails (`package`
    /// check) rather than waiting for it (`manual`).
    pub package_required: bool,
    /// The screenshots, videos and documents the listing shows.
    pub media: MediaLimits,
    /// Most search keywords, and the longest one, in characters.
    pub keywords_max: usize,
    pub keyword_max_chars: usize,
    /// Most products the app says it works with.
    pub products_max: usize,
    /// Most categories and industries; `None` sets no number.
    pub categories_max: Option<usize>,
    pub industries_max: Option<usize>,
    /// Longest category or industry, in characters.
    pub category_max_chars: usize,
    /// Whether help texts name the section of Microsoft's commercial
    /// marketplace certification policies that a rule comes from.
    pub certification_links: bool,
}

/// What the listing's media may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaLimits {
    /// How many screenshots the listing shows.
    pub screenshots: Count,
    /// The size every screenshot has.
    pub screenshot_size: LogoSize,
    /// Longest screenshot caption, in characters.
    pub caption_max_chars: usize,
    /// Most videos the listing shows.
    pub videos_max: usize,
    /// The size of a video's thumbnail.
    pub thumbnail_size: LogoSize,
    /// How many supporting documents (PDF) the listing offers.
    pub documents: Count,
}

/// How many of something a listing has: from `min` to `max`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub min: usize,
    pub max: usize,
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} to {}", self.min, self.max)
    }
}

/// Whether the listing option `test-drive` may still be chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestDrive {
    /// A listing option like the others (the seed).
    Offered,
    /// Offered by the documents of the time, but retired since: a warning.
    Retiring,
    /// Retired (2025): a test drive fails.
    Retired,
}

const HEADINGS: [&str; 6] = ["h1", "h2", "h3", "h4", "h5", "h6"];

/// Screenshots and video thumbnails: 1280x720 in every document since 2019.
const MEDIA_IMAGE: LogoSize = LogoSize::Exact {
    width: 1280,
    height: 720,
};

/// The media every document since 2019 asks for.
const MEDIA: MediaLimits = MediaLimits {
    screenshots: Count { min: 1, max: 5 },
    screenshot_size: MEDIA_IMAGE,
    caption_max_chars: 100,
    videos_max: 4,
    thumbnail_size: MEDIA_IMAGE,
    documents: Count { min: 1, max: 3 },
};

pub static APPSOURCE_2019: Policy = Policy {
    name: PolicyName::AppSource2019,
    logos: &[
        LogoSpec {
            slot: LogoSlot::Small,
            required: true,
            size: LogoSize::Exact {
                width: 40,
                height: 40,
            },
        },
        LogoSpec {
            slot: LogoSlot::Medium,
            required: true,
            size: LogoSize::Exact {
                width: 90,
                height: 90,
            },
        },
        LogoSpec {
            slot: LogoSlot::Large,
            required: true,
            size: LogoSize::Exact {
                width: 115,
                height: 115,
            },
        },
        LogoSpec {
            slot: LogoSlot::Wide,
            required: true,
            size: LogoSize::Exact {
                width: 255,
                height: 115,
            },
        },
    ],
    app_name_max_chars: 50,
    app_name_allowed_symbols: &['™', '©', '®'],
    summary_max_chars: 100,
    description_max_chars: 1_300,
    description_tags: &[
        "p",
        "em",
        "ul",
        "ol",
        "li",
        HEADINGS[0],
        HEADINGS[1],
        HEADINGS[2],
        HEADINGS[3],
        HEADINGS[4],
        HEADINGS[5],
    ],
    help_url_required: false,
    trial_durations: TrialDurations::AtLeast(1),
    uptime_min_percent: 99.9,
    test_drive: TestDrive::Offered,
    package_required: false,
    media: MEDIA,
    keywords_max: 3,
    keyword_max_chars: 50,
    products_max: 3,
    categories_max: None,
    industries_max: None,
    category_max_chars: 50,
    certification_links: false,
};

pub static PARTNER_CENTER_2023: Policy = PARTNER_CENTER_2023_LIMITS;

/// Partner Center's limits, which later policies start from.
const PARTNER_CENTER_2023_LIMITS: Policy = Policy {
    name: PolicyName::PartnerCenter2023,
    logos: &[
        LogoSpec {
            slot: LogoSlot::Small,
            required: false,
            size: LogoSize::Exact {
                width: 48,
                height: 48,
            },
        },
        LogoSpec {
            slot: LogoSlot::Medium,
            required: false,
            size: LogoSize::Exact {
                width: 90,
                height: 90,
            },
        },
        LogoSpec {
            slot: LogoSlot::Large,
            required: true,
            size: LogoSize::Square { min: 216, max: 350 },
        },
        LogoSpec {
            slot: LogoSlot::Wide,
            required: false,
            size: LogoSize::Exact {
                width: 255,
                height: 115,
            },
        },
    ],
    app_name_max_chars: 200,
    app_name_allowed_symbols: &['™', '©', '®'],
    summary_max_chars: 100,
    description_max_chars: 5_000,
    description_tags: &[
        "b",
        "i",
        "br",
        "p",
        "ul",
        "ol",
        "li",
        HEADINGS[0],
        HEADINGS[1],
        HEADINGS[2],
        HEADINGS[3],
        HEADINGS[4],
        HEADINGS[5],
    ],
    help_url_required: true,
    trial_durations: TrialDurations::OneOf(&[30, 90, 180]),
    uptime_min_percent: 99.9,
    test_drive: TestDrive::Retiring,
    package_required: false,
    media: MEDIA,
    keywords_max: 3,
    keyword_max_chars: 50,
    products_max: 3,
    categories_max: Some(2),
    industries_max: Some(2),
    category_max_chars: 50,
    certification_links: false,
};

/// Partner Center from 2025: `partner-center-2023` with test drives retired
/// and the AppSource package required, whose help links name the
/// certification policy section each rule comes from.
pub static MARKETPLACE_2025: Policy = Policy {
    name: PolicyName::Marketplace2025,
    test_drive: TestDrive::Retired,
    package_required: true,
    certification_links: true,
    ..PARTNER_CENTER_2023_LIMITS
};

/// The highest uptime anyone can promise.
pub const UPTIME_MAX_PERCENT: f64 = 100.0;

/// A limit the rule texts name. A text writes `{name}` where the limit goes
/// and is shown with how every policy sets it ("1,300 characters; 5,000
/// characters under partner-center-2023 and marketplace-2025"), so that a
/// text never disagrees with this table and a new policy changes this file
/// only.
#[derive(Debug)]
pub struct NamedLimit {
    pub name: &'static str,
    shown: Shown,
}

/// How a policy's value of a limit reads in a text.
#[derive(Debug)]
enum Shown {
    /// The value under each policy.
    Each(fn(&Policy) -> String),
    /// The policies where something holds ("partner-center-2023 and
    /// marketplace-2025").
    Where(fn(&Policy) -> bool),
    /// A bound that is the same under every policy (the package's, of
    /// package.md), named so that its texts follow the code that applies it.
    Fixed(fn() -> String),
}

const fn each(name: &'static str, value: fn(&Policy) -> String) -> NamedLimit {
    NamedLimit {
        name,
        shown: Shown::Each(value),
    }
}

const fn fixed(name: &'static str, value: fn() -> String) -> NamedLimit {
    NamedLimit {
        name,
        shown: Shown::Fixed(value),
    }
}

const fn under(name: &'static str, holds: fn(&Policy) -> bool) -> NamedLimit {
    NamedLimit {
        name,
        shown: Shown::Where(holds),
    }
}

/// Every limit a text may name.
pub static NAMED_LIMITS: [NamedLimit; 26] = [
    each("app_name_max_chars", |p| characters(p.app_name_max_chars)),
    each("summary_max_chars", |p| characters(p.summary_max_chars)),
    each("description_max_chars", |p| {
        characters(p.description_max_chars)
    }),
    each("description_tags", |p| tag_list(p.description_tags)),
    under("help_url_required", |p| p.help_url_required),
    each("trial_durations", |p| match p.trial_durations {
        TrialDurations::AtLeast(1) => "at least 1 day".to_owned(),
        TrialDurations::AtLeast(days) => format!("at least {days} days"),
        TrialDurations::OneOf(days) => format!("{} days", spoken_list(days)),
    }),
    each("uptime_min_percent", |p| {
        format!("{} %", p.uptime_min_percent)
    }),
    each("uptime_range", |p| {
        format!("{} % to {UPTIME_MAX_PERCENT} %", p.uptime_min_percent)
    }),
    each("logo_sizes", logo_sizes),
    under("test_drive_warns", |p| p.test_drive == TestDrive::Retiring),
    under("test_drive_fails", |p| p.test_drive == TestDrive::Retired),
    each("screenshots", |p| p.media.screenshots.to_string()),
    each("screenshot_size", |p| p.media.screenshot_size.to_string()),
    each("caption_max_chars", |p| {
        characters(p.media.caption_max_chars)
    }),
    each("videos_max", |p| p.media.videos_max.to_string()),
    each("thumbnail_size", |p| p.media.thumbnail_size.to_string()),
    each("documents", |p| p.media.documents.to_string()),
    each("keywords_max", |p| p.keywords_max.to_string()),
    each("keyword_max_chars", |p| characters(p.keyword_max_chars)),
    each("products_max", |p| p.products_max.to_string()),
    each("categories_max", |p| at_most(p.categories_max)),
    each("industries_max", |p| at_most(p.industries_max)),
    each("category_max_chars", |p| characters(p.category_max_chars)),
    // The package's bounds and dates, the same under every policy (package.md).
    fixed("zip_max_entries", || {
        thousands(usize::try_from(crate::package::archive::MAX_ENTRIES).unwrap_or(usize::MAX))
    }),
    fixed("zip_max_ratio", || {
        format!("{}:1", crate::package::archive::MAX_RATIO)
    }),
    fixed("end_date_warning_days", || {
        format!("{} days", crate::package::END_DATE_WARNING_DAYS)
    }),
];

impl NamedLimit {
    /// The limit under every policy, in one phrase: the default policy's
    /// value first, then each other value with the policies that set it.
    pub fn describe(&self) -> String {
        match self.shown {
            Shown::Each(value) => {
                let mut groups: Vec<(String, Vec<PolicyName>)> = Vec::new();
                for name in PolicyName::ALL {
                    let shown = value(name.policy());
                    match groups.iter_mut().find(|(known, _)| *known == shown) {
                        Some((_, names)) => names.push(name),
                        None => groups.push((shown, vec![name])),
                    }
                }
                let mut groups = groups.into_iter();
                let mut text = groups.next().map(|(shown, _)| shown).unwrap_or_default();
                for (shown, names) in groups {
                    text.push_str(&format!("; {shown} under {}", names_list(&names)));
                }
                text
            }
            Shown::Fixed(value) => value(),
            Shown::Where(holds) => {
                let names: Vec<PolicyName> = PolicyName::ALL
                    .into_iter()
                    .filter(|name| holds(name.policy()))
                    .collect();
                if names.is_empty() {
                    "no policy".to_owned()
                } else {
                    names_list(&names)
                }
            }
        }
    }

    /// Whether the limit is a policy's, set by each policy (rather than a
    /// bound the same under all).
    pub fn is_policy(&self) -> bool {
        !matches!(self.shown, Shown::Fixed(_))
    }

    /// The limit's value under one policy, for tests that compare a text
    /// with the table.
    pub fn value(&self, policy: &Policy) -> String {
        match self.shown {
            Shown::Each(value) => value(policy),
            Shown::Where(holds) => holds(policy).to_string(),
            Shown::Fixed(value) => value(),
        }
    }
}

/// The limit a text names by `name`.
pub fn named_limit(name: &str) -> Option<&'static NamedLimit> {
    NAMED_LIMITS.iter().find(|limit| limit.name == name)
}

/// The names a text writes as `{name}`. `{{name}}` is a text's own braces
/// (a template marker the placeholder rules quote), not a limit.
pub fn limit_names(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for (open, _) in text.match_indices('{') {
        if open > 0 && text.as_bytes().get(open - 1) == Some(&b'{') {
            continue;
        }
        let after = text.get(open + 1..).unwrap_or_default();
        let length = after
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(after.len());
        let tail = after.get(length..).unwrap_or_default();
        if length > 0 && tail.starts_with('}') && !tail.starts_with("}}") {
            names.push(after.get(..length).unwrap_or_default());
        }
    }
    names
}

/// A text with every limit it names written out.
pub fn fill_limits(text: &str) -> String {
    let mut filled = text.to_owned();
    for name in limit_names(text) {
        if let Some(limit) = named_limit(name) {
            filled = filled.replacen(&format!("{{{name}}}"), &limit.describe(), 1);
        }
    }
    filled
}

fn characters(count: usize) -> String {
    format!("{} characters", thousands(count))
}

fn at_most(count: Option<usize>) -> String {
    match count {
        Some(count) => format!("at most {count}"),
        None => "any number".to_owned(),
    }
}

/// 1300 as "1,300".
pub fn thousands(number: usize) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// "p em ul ol li h1-h6": the six headings as one range.
fn tag_list(tags: &[&str]) -> String {
    let headings = HEADINGS.iter().all(|heading| tags.contains(heading));
    let mut shown: Vec<&str> = tags
        .iter()
        .copied()
        .filter(|tag| !(headings && HEADINGS.contains(tag)))
        .collect();
    if headings {
        shown.push("h1-h6");
    }
    shown.join(" ")
}

/// Every logo a policy knows, required ones first.
fn logo_sizes(policy: &Policy) -> String {
    let named = |spec: &LogoSpec| format!("{} {}", spec.slot.key(), spec.size);
    let required: Vec<String> = policy
        .logos
        .iter()
        .filter(|spec| spec.required)
        .map(named)
        .collect();
    let optional: Vec<String> = policy
        .logos
        .iter()
        .filter(|spec| !spec.required)
        .map(named)
        .collect();
    if optional.is_empty() {
        required.join(", ")
    } else {
        format!(
            "{} (optional: {})",
            required.join(", "),
            optional.join(", ")
        )
    }
}

/// "partner-center-2023 and marketplace-2025"
fn names_list(names: &[PolicyName]) -> String {
    let words: Vec<&str> = names.iter().map(|name| name.as_str()).collect();
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => words.join(""),
    }
}

/// "30, 90 or 180"
pub fn spoken_list(values: &[u32]) -> String {
    let words: Vec<String> = values.iter().map(u32::to_string).collect();
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => words.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_names_round_trip() {
        use clap::ValueEnum as _;
        for name in PolicyName::ALL {
            assert_eq!(name.as_str().parse::<PolicyName>(), Ok(name));
            let value = name.to_possible_value().unwrap();
            assert_eq!(value.get_name(), name.as_str());
            assert_eq!(name.policy().name, name);
        }
    }

    #[test]
    fn unknown_policy_suggests_the_nearest() {
        let error = "appsource-2020".parse::<PolicyName>().unwrap_err();
        assert!(error.contains("did you mean `appsource-2019`"), "{error}");
    }

    #[test]
    fn a_limit_reads_the_same_under_every_policy_once() {
        let limit = named_limit("summary_max_chars").unwrap();
        assert_eq!(limit.describe(), "100 characters");
        let limit = named_limit("description_max_chars").unwrap();
        assert_eq!(
            limit.describe(),
            "1,300 characters; 5,000 characters under partner-center-2023 and marketplace-2025"
        );
        assert_eq!(
            named_limit("test_drive_fails").unwrap().describe(),
            "marketplace-2025"
        );
    }

    #[test]
    fn texts_name_limits_in_braces_and_keep_their_own_double_braces() {
        assert_eq!(
            limit_names("at most {caption_max_chars}, not {{name}} or {Name}"),
            ["caption_max_chars"]
        );
        assert_eq!(
            fill_limits("summary of {summary_max_chars} ({{name}})"),
            "summary of 100 characters ({{name}})"
        );
        assert_eq!(thousands(1300), "1,300");
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(spoken_list(&[30, 90, 180]), "30, 90 or 180");
        assert_eq!(spoken_list(&[30]), "30");
    }

    #[test]
    fn square_range_includes_its_bounds() {
        let size = LogoSize::Square { min: 216, max: 350 };
        assert!(size.accepts(216, 216));
        assert!(size.accepts(350, 350));
        assert!(!size.accepts(351, 351));
        assert!(!size.accepts(300, 299));
    }
}
