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
                    "unknown policy `{name}`; the policies are {} and {last}",
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
};

/// Partner Center from 2025: `partner-center-2023` with test drives retired
/// and the AppSource package required.
pub static MARKETPLACE_2025: Policy = Policy {
    name: PolicyName::Marketplace2025,
    test_drive: TestDrive::Retired,
    package_required: true,
    ..PARTNER_CENTER_2023_LIMITS
};

/// The highest uptime anyone can promise.
pub const UPTIME_MAX_PERCENT: f64 = 100.0;

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
    fn square_range_includes_its_bounds() {
        let size = LogoSize::Square { min: 216, max: 350 };
        assert!(size.accepts(216, 216));
        assert!(size.accepts(350, 350));
        assert!(!size.accepts(351, 351));
        assert!(!size.accepts(300, 299));
    }
}
