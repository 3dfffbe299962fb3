//! The manifest's words: the values its enumerated keys take. The schema
//! offers them to editors, and the checks compare with them, so both name
//! one list.

/// `aad.sign_in_audience`: the app registration's `signInAudience` values.
pub const SINGLE_TENANT: &str = "AzureADMyOrg";
pub const MULTI_TENANT: &str = "AzureADMultipleOrgs";
pub const MULTI_TENANT_AND_PERSONAL: &str = "AzureADandPersonalMicrosoftAccount";
pub const PERSONAL_ACCOUNTS_ONLY: &str = "PersonalMicrosoftAccount";
pub const AUDIENCES: [&str; 4] = [
    SINGLE_TENANT,
    MULTI_TENANT,
    MULTI_TENANT_AND_PERSONAL,
    PERSONAL_ACCOUNTS_ONLY,
];

/// `aad.protocol`: every value the key takes, SAML included (it is named so
/// that it can be refused in words).
pub const PROTOCOLS: [&str; 3] = ["openid-connect", "oauth2", "saml"];
/// The protocols AppSource accepts.
pub const ACCEPTED_PROTOCOLS: [&str; 2] = ["openid-connect", "oauth2"];

/// `trial.kind`: the listing options.
pub const TRIAL_KINDS: [&str; 4] = ["get-it-now", "free-trial", "test-drive", "contact-me"];

/// `integrations.services`: the Microsoft cloud services an offer may name.
pub const SERVICES: [&str; 10] = [
    "power-bi",
    "power-automate",
    "power-apps",
    "azure-machine-learning",
    "cognitive-services",
    "azure-functions",
    "logic-apps",
    "teams",
    "sharepoint",
    "other",
];

/// `properties.products`: the Dynamics 365 and Power Platform products an
/// app can say it works with, as Partner Center lists them.
pub const PRODUCTS: [&str; 11] = [
    "customer-service",
    "customer-voice",
    "field-service",
    "marketing",
    "mixed-reality",
    "power-apps",
    "power-automate",
    "power-virtual-agents",
    "project-operations",
    "project-service-automation",
    "sales",
];
